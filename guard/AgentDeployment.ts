import type { Deployment } from '../chain/deploy/deployment.js';

/** A deployment whose agent is bootstrapped: what the tools and the executor act on. */
export type AgentDeployment = Deployment & { agent: NonNullable<Deployment['agent']> };
