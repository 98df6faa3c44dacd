import type { HostArgs, HostChannel, HostEventName, HostEvents, HostResult } from './contract.js';
import { HostError } from './errors.js';
import { hostValidators } from './validators.js';

export type HostHandler<C extends HostChannel> = (args: HostArgs<C>) => Promise<HostResult<C>>;
export type HandlerMap = { [C in HostChannel]: HostHandler<C> };
export type EmitEvent = <E extends HostEventName>(event: E, payload: HostEvents[E]) => void;

/**
 * The table every host serves from. Registering a channel twice throws; dispatch validates the argument
 * with the channel's validator before the handler runs, and refuses channels the contract does not name.
 */
export class HandlerRegistry {
  private readonly handlers = new Map<string, (args: unknown) => Promise<unknown>>();

  register<C extends HostChannel>(channel: C, handler: HostHandler<C>): void {
    if (this.handlers.has(channel)) throw new Error(`Host channel "${channel}" is registered twice.`);
    if (!Object.hasOwn(hostValidators, channel)) throw new Error(`"${channel}" is not in the host contract.`);
    const validate = hostValidators[channel];
    this.handlers.set(channel, (args: unknown) => handler(validate(args ?? {}, 'args')));
  }

  registerAll(map: HandlerMap): void {
    for (const channel of Object.keys(map) as HostChannel[]) {
      this.register(channel, map[channel] as HostHandler<typeof channel>);
    }
  }

  has(channel: string): boolean {
    return this.handlers.has(channel);
  }

  async dispatch(channel: string, args: unknown): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (handler === undefined) throw new HostError('invalid-argument', `Unknown operation "${channel}".`);
    return handler(args);
  }
}
