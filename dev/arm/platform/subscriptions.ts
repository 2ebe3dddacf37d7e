/**
 * Subscriptions and their resource provider registrations. A namespace that is not registered
 * answers 409 MissingSubscriptionRegistration; `register` moves it to Registering and, after the
 * registration time (emulated), to Registered, as `az provider register` shows.
 */
import { ArmError, subscriptionNotFound } from '../core/arm-error.js';
import type { Clock } from '../core/clock.js';

export type RegistrationState = 'Registered' | 'NotRegistered' | 'Registering' | 'Unregistering';

/** Namespaces ARM itself serves: always available, cannot be unregistered. */
export const registrationFreeNamespaces = ['microsoft.resources', 'microsoft.authorization'];

export interface Subscription {
  readonly subscriptionId: string;
  displayName: string;
  readonly tenantId: string;
  state: 'Enabled' | 'Disabled' | 'Warned';
}

interface Registration {
  state: RegistrationState;
  /** When a Registering/Unregistering state settles (real ms). */
  settlesAt: number;
}

export class Subscriptions {
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly registrations = new Map<string, Map<string, Registration>>();
  /** Emulated seconds a registration takes (Azure: usually under a minute). */
  registrationSeconds = 30;

  constructor(
    private readonly clock: Clock,
    /** The state of a namespace the subscription never touched. */
    private defaultState: () => RegistrationState = () => 'Registered',
  ) {}

  add(subscriptionId: string, tenantId: string, displayName = subscriptionId): Subscription {
    const id = subscriptionId.toLowerCase();
    const existing = this.subscriptions.get(id);
    if (existing !== undefined) return existing;
    const sub: Subscription = { subscriptionId: id, tenantId, displayName, state: 'Enabled' };
    this.subscriptions.set(id, sub);
    this.registrations.set(id, new Map());
    return sub;
  }

  get(subscriptionId: string): Subscription | undefined {
    return this.subscriptions.get(subscriptionId.toLowerCase());
  }

  require(subscriptionId: string): Subscription {
    const sub = this.get(subscriptionId);
    if (sub === undefined) throw subscriptionNotFound(subscriptionId);
    return sub;
  }

  all(): Subscription[] {
    return [...this.subscriptions.values()];
  }

  clear(): void {
    this.subscriptions.clear();
    this.registrations.clear();
  }

  setDefaultState(state: RegistrationState): void {
    this.defaultState = () => state;
  }

  state(subscriptionId: string, namespace: string): RegistrationState {
    const ns = namespace.toLowerCase();
    if (registrationFreeNamespaces.includes(ns)) return 'Registered';
    const reg = this.registrations.get(subscriptionId.toLowerCase())?.get(ns);
    if (reg === undefined) return this.defaultState();
    if (reg.state === 'Registering' && reg.settlesAt <= this.clock.now()) reg.state = 'Registered';
    if (reg.state === 'Unregistering' && reg.settlesAt <= this.clock.now()) reg.state = 'NotRegistered';
    return reg.state;
  }

  /** Sets the state at once (seeds and tests). */
  set(subscriptionId: string, namespace: string, state: RegistrationState): void {
    this.map(subscriptionId).set(namespace.toLowerCase(), { state, settlesAt: this.clock.now() });
  }

  register(subscriptionId: string, namespace: string): RegistrationState {
    const current = this.state(subscriptionId, namespace);
    if (current === 'Registered' || current === 'Registering') return current;
    this.map(subscriptionId).set(namespace.toLowerCase(), {
      state: 'Registering',
      settlesAt: this.clock.now() + this.clock.realMs(this.registrationSeconds),
    });
    return 'Registering';
  }

  unregister(subscriptionId: string, namespace: string): RegistrationState {
    if (registrationFreeNamespaces.includes(namespace.toLowerCase())) return 'Registered';
    this.map(subscriptionId).set(namespace.toLowerCase(), {
      state: 'Unregistering',
      settlesAt: this.clock.now() + this.clock.realMs(this.registrationSeconds),
    });
    return 'Unregistering';
  }

  /** Throws 409 MissingSubscriptionRegistration unless the namespace is registered. */
  requireRegistered(subscriptionId: string, namespace: string, canonicalNamespace = namespace): void {
    if (this.state(subscriptionId, namespace) === 'Registered') return;
    const message = `The subscription is not registered to use namespace '${canonicalNamespace}'. See https://aka.ms/rps-not-found for how to register subscriptions.`;
    throw new ArmError(409, 'MissingSubscriptionRegistration', message, {
      details: [{ code: 'MissingSubscriptionRegistration', target: canonicalNamespace, message }],
    });
  }

  private map(subscriptionId: string): Map<string, Registration> {
    const id = subscriptionId.toLowerCase();
    let m = this.registrations.get(id);
    if (m === undefined) {
      m = new Map();
      this.registrations.set(id, m);
    }
    return m;
  }
}
