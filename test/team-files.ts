import { join, resolve } from 'node:path';

/** The team's folder of datasets and corpora, beside the repository (`../shared`), wherever the clone is. */
export const TEAM_SHARED = resolve(import.meta.dirname, '../../shared');
export const DATASETS = join(TEAM_SHARED, 'datasets');
export const CORPUS = join(TEAM_SHARED, 'corpus');
