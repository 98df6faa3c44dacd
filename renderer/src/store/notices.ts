import type { StateCreator } from 'zustand';
import type { AppState } from './index.js';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

export interface NoticesSlice {
  notices: Notice[];
  notify(kind: Notice['kind'], text: string): void;
  dismissNotice(id: number): void;
}

let nextId = 1;

export const createNoticesSlice: StateCreator<AppState, [], [], NoticesSlice> = (set) => ({
  notices: [],
  notify: (kind, text) => set((s) => ({ notices: [...s.notices.slice(-4), { id: nextId++, kind, text }] })),
  dismissNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
});
