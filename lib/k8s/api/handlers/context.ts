/** What every resource handler receives, and what it returns. */
import type { ClusterState } from "../../cluster/state";
import type { ApiRequest, ApiResponse, TraceStep, UserInfo } from "../../types";
import type { RequestInfo } from "../request-info";
import type { ResourceDefinition } from "../resources";

export interface HandlerContext {
  state: ClusterState;
  request: ApiRequest;
  info: RequestInfo;
  resource: ResourceDefinition;
  query: URLSearchParams;
  /** The user after impersonation. */
  user: UserInfo;
  now: Date;
  trace: TraceStep[];
}

export interface HandlerResult {
  response: ApiResponse;
  changed: boolean;
}

export function handlerStep(message: string, outcome: TraceStep["outcome"] = "info"): TraceStep {
  return { stage: "handler", outcome, message };
}
