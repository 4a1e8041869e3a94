import {
  type CapacityRefusal,
  callerLimitsOf,
  createRequestMeter,
  type RequestMeter,
  reserveCapacity,
  type UsageSettlement,
} from "@dsc/core";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { GatewayDeps } from "../gateway-deps.ts";
import type { MetricsRecorder, RateLimitDecisionKind } from "../metrics/metrics-recorder.ts";
import { organizationOf } from "../plugins/organization-of.ts";
import { setRateLimitHeaders } from "./rate-limit-headers.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** the tokens a call may use, from its raw body; reserved before the route runs */
    estimateTokens?: (body: unknown) => number;
  }
  interface FastifyRequest {
    /** set on every authenticated /v1 request: its usage record and token reservation */
    meter: RequestMeter | null;
    /** the caller's tier once its limits are read: the tokens metric's label */
    meteredTier: string | null;
  }
}

/**
 * Rate limits, quotas and usage metering on every authenticated /v1 route. Register after
 * authentication. onRequest starts a meter; preHandler (after the body is parsed, so that the
 * route can estimate its tokens) takes the caller's limits from its organization's snapshot
 * (dropped on every tier, organization or key change), spends one request and reserves the estimate in one limiter check, and sets
 * the `x-ratelimit-*` headers; a refusal becomes a 429 in OpenAI's shape.
 */
export function registerRateLimits(app: FastifyInstance, deps: GatewayDeps) {
  app.decorateRequest("meter", null);
  app.decorateRequest("meteredTier", null);

  app.addHook("onRequest", async (request, reply) => {
    const principal = request.principal;
    const endpoint = request.routeOptions.url;
    if (!principal || !endpoint?.startsWith("/v1/")) return;
    const meter = createRequestMeter(
      { settlement: countingTokens(deps.metering.settlement, deps.metrics, request), clock: deps.clock },
      { requestId: request.id, principal, endpoint },
    );
    request.meter = meter;
    const response = reply.raw;
    response.once("close", () => meter.responseClosed(response.writableFinished ? response.statusCode : 499));
  });

  app.addHook("preHandler", async (request, reply) => {
    const meter = request.meter;
    if (!meter || !request.principal) return;
    const organization = await organizationOf(deps, request);
    request.meteredTier = organization.tierId;
    const limits = callerLimitsOf(organization, request.principal);
    const tokens = request.routeOptions.config.estimateTokens?.(request.body) ?? 0;
    const outcome = await reserveCapacity(
      { db: deps.db, limiter: deps.metering.limiter, clock: deps.clock },
      { limits, tokens },
    );
    setRateLimitHeaders(reply, outcome);
    deps.metrics.countRateLimitDecision(outcome.allowed ? "allowed" : bindingLimitOf(outcome));
    if (!outcome.allowed) throw outcome.error;
    meter.attach(outcome.reservation);
  });
}

/** The meter of an authenticated /v1 request (the plugin's onRequest hook made it). */
export function meterOf(request: FastifyRequest): RequestMeter {
  if (!request.meter) throw new Error("request has no meter: is the route under /v1 and authenticated?");
  return request.meter;
}

/**
 * The settlement, counting each request's tokens by model and tier as it ends. The tier is
 * read when the meter ends, by then set from the organization's snapshot; a request refused
 * before that used no tokens.
 */
function countingTokens(
  settlement: UsageSettlement,
  metrics: MetricsRecorder,
  request: FastifyRequest,
): Pick<UsageSettlement, "finish" | "finishLate"> {
  return {
    finish(record, reservation) {
      if (record.modelId !== null && request.meteredTier !== null) {
        metrics.countTokens(
          record.modelId,
          request.meteredTier,
          record.promptTokens,
          record.completionTokens,
        );
      }
      settlement.finish(record, reservation);
    },
    finishLate: (reservation) => settlement.finishLate(reservation),
  };
}

/** Which limit refused a request: the monthly quota, else the per-minute limit that was spent. */
function bindingLimitOf(refusal: CapacityRefusal): RateLimitDecisionKind {
  if (refusal.error.code === "quota_exceeded") return "monthly_quota";
  return refusal.tokens && !refusal.tokens.allowed ? "tokens" : "requests";
}
