-- CreateTable
CREATE TABLE "usage_rollup_platform" (
    "grain" TEXT NOT NULL,
    "bucket_start" TIMESTAMP(3) NOT NULL,
    "tier_id" TEXT NOT NULL,
    "model_id" TEXT NOT NULL,
    "requests" BIGINT NOT NULL DEFAULT 0,
    "prompt_tokens" BIGINT NOT NULL DEFAULT 0,
    "completion_tokens" BIGINT NOT NULL DEFAULT 0,
    "cache_hits" BIGINT NOT NULL DEFAULT 0,
    "spend_usd" DECIMAL(24,10) NOT NULL DEFAULT 0,
    "status_400" BIGINT NOT NULL DEFAULT 0,
    "status_401" BIGINT NOT NULL DEFAULT 0,
    "status_403" BIGINT NOT NULL DEFAULT 0,
    "status_404" BIGINT NOT NULL DEFAULT 0,
    "status_408" BIGINT NOT NULL DEFAULT 0,
    "status_409" BIGINT NOT NULL DEFAULT 0,
    "status_413" BIGINT NOT NULL DEFAULT 0,
    "status_422" BIGINT NOT NULL DEFAULT 0,
    "status_429" BIGINT NOT NULL DEFAULT 0,
    "status_500" BIGINT NOT NULL DEFAULT 0,
    "status_502" BIGINT NOT NULL DEFAULT 0,
    "status_503" BIGINT NOT NULL DEFAULT 0,
    "status_504" BIGINT NOT NULL DEFAULT 0,
    "status_other" BIGINT NOT NULL DEFAULT 0,
    "latency_00" BIGINT NOT NULL DEFAULT 0,
    "latency_01" BIGINT NOT NULL DEFAULT 0,
    "latency_02" BIGINT NOT NULL DEFAULT 0,
    "latency_03" BIGINT NOT NULL DEFAULT 0,
    "latency_04" BIGINT NOT NULL DEFAULT 0,
    "latency_05" BIGINT NOT NULL DEFAULT 0,
    "latency_06" BIGINT NOT NULL DEFAULT 0,
    "latency_07" BIGINT NOT NULL DEFAULT 0,
    "latency_08" BIGINT NOT NULL DEFAULT 0,
    "latency_09" BIGINT NOT NULL DEFAULT 0,
    "latency_10" BIGINT NOT NULL DEFAULT 0,
    "latency_11" BIGINT NOT NULL DEFAULT 0,
    "latency_12" BIGINT NOT NULL DEFAULT 0,
    "latency_13" BIGINT NOT NULL DEFAULT 0,
    "latency_14" BIGINT NOT NULL DEFAULT 0,
    "latency_15" BIGINT NOT NULL DEFAULT 0,
    "latency_16" BIGINT NOT NULL DEFAULT 0,
    "latency_17" BIGINT NOT NULL DEFAULT 0,
    "latency_18" BIGINT NOT NULL DEFAULT 0,
    "latency_19" BIGINT NOT NULL DEFAULT 0,
    "latency_20" BIGINT NOT NULL DEFAULT 0,
    "latency_21" BIGINT NOT NULL DEFAULT 0,
    "latency_22" BIGINT NOT NULL DEFAULT 0,
    "latency_23" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "usage_rollup_platform_pkey" PRIMARY KEY ("grain","bucket_start","tier_id","model_id")
);

-- CreateTable
CREATE TABLE "usage_rollup_organization" (
    "grain" TEXT NOT NULL,
    "bucket_start" TIMESTAMP(3) NOT NULL,
    "organization_id" TEXT NOT NULL,
    "tier_id" TEXT NOT NULL,
    "model_id" TEXT NOT NULL,
    "requests" BIGINT NOT NULL DEFAULT 0,
    "prompt_tokens" BIGINT NOT NULL DEFAULT 0,
    "completion_tokens" BIGINT NOT NULL DEFAULT 0,
    "cache_hits" BIGINT NOT NULL DEFAULT 0,
    "spend_usd" DECIMAL(24,10) NOT NULL DEFAULT 0,
    "status_400" BIGINT NOT NULL DEFAULT 0,
    "status_401" BIGINT NOT NULL DEFAULT 0,
    "status_403" BIGINT NOT NULL DEFAULT 0,
    "status_404" BIGINT NOT NULL DEFAULT 0,
    "status_408" BIGINT NOT NULL DEFAULT 0,
    "status_409" BIGINT NOT NULL DEFAULT 0,
    "status_413" BIGINT NOT NULL DEFAULT 0,
    "status_422" BIGINT NOT NULL DEFAULT 0,
    "status_429" BIGINT NOT NULL DEFAULT 0,
    "status_500" BIGINT NOT NULL DEFAULT 0,
    "status_502" BIGINT NOT NULL DEFAULT 0,
    "status_503" BIGINT NOT NULL DEFAULT 0,
    "status_504" BIGINT NOT NULL DEFAULT 0,
    "status_other" BIGINT NOT NULL DEFAULT 0,
    "latency_00" BIGINT NOT NULL DEFAULT 0,
    "latency_01" BIGINT NOT NULL DEFAULT 0,
    "latency_02" BIGINT NOT NULL DEFAULT 0,
    "latency_03" BIGINT NOT NULL DEFAULT 0,
    "latency_04" BIGINT NOT NULL DEFAULT 0,
    "latency_05" BIGINT NOT NULL DEFAULT 0,
    "latency_06" BIGINT NOT NULL DEFAULT 0,
    "latency_07" BIGINT NOT NULL DEFAULT 0,
    "latency_08" BIGINT NOT NULL DEFAULT 0,
    "latency_09" BIGINT NOT NULL DEFAULT 0,
    "latency_10" BIGINT NOT NULL DEFAULT 0,
    "latency_11" BIGINT NOT NULL DEFAULT 0,
    "latency_12" BIGINT NOT NULL DEFAULT 0,
    "latency_13" BIGINT NOT NULL DEFAULT 0,
    "latency_14" BIGINT NOT NULL DEFAULT 0,
    "latency_15" BIGINT NOT NULL DEFAULT 0,
    "latency_16" BIGINT NOT NULL DEFAULT 0,
    "latency_17" BIGINT NOT NULL DEFAULT 0,
    "latency_18" BIGINT NOT NULL DEFAULT 0,
    "latency_19" BIGINT NOT NULL DEFAULT 0,
    "latency_20" BIGINT NOT NULL DEFAULT 0,
    "latency_21" BIGINT NOT NULL DEFAULT 0,
    "latency_22" BIGINT NOT NULL DEFAULT 0,
    "latency_23" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "usage_rollup_organization_pkey" PRIMARY KEY ("grain","organization_id","bucket_start","tier_id","model_id")
);

-- CreateTable
CREATE TABLE "usage_rollup_credential" (
    "grain" TEXT NOT NULL,
    "bucket_start" TIMESTAMP(3) NOT NULL,
    "organization_id" TEXT NOT NULL,
    "credential_id" TEXT NOT NULL,
    "tier_id" TEXT NOT NULL,
    "model_id" TEXT NOT NULL,
    "requests" BIGINT NOT NULL DEFAULT 0,
    "prompt_tokens" BIGINT NOT NULL DEFAULT 0,
    "completion_tokens" BIGINT NOT NULL DEFAULT 0,
    "cache_hits" BIGINT NOT NULL DEFAULT 0,
    "spend_usd" DECIMAL(24,10) NOT NULL DEFAULT 0,
    "status_400" BIGINT NOT NULL DEFAULT 0,
    "status_401" BIGINT NOT NULL DEFAULT 0,
    "status_403" BIGINT NOT NULL DEFAULT 0,
    "status_404" BIGINT NOT NULL DEFAULT 0,
    "status_408" BIGINT NOT NULL DEFAULT 0,
    "status_409" BIGINT NOT NULL DEFAULT 0,
    "status_413" BIGINT NOT NULL DEFAULT 0,
    "status_422" BIGINT NOT NULL DEFAULT 0,
    "status_429" BIGINT NOT NULL DEFAULT 0,
    "status_500" BIGINT NOT NULL DEFAULT 0,
    "status_502" BIGINT NOT NULL DEFAULT 0,
    "status_503" BIGINT NOT NULL DEFAULT 0,
    "status_504" BIGINT NOT NULL DEFAULT 0,
    "status_other" BIGINT NOT NULL DEFAULT 0,
    "latency_00" BIGINT NOT NULL DEFAULT 0,
    "latency_01" BIGINT NOT NULL DEFAULT 0,
    "latency_02" BIGINT NOT NULL DEFAULT 0,
    "latency_03" BIGINT NOT NULL DEFAULT 0,
    "latency_04" BIGINT NOT NULL DEFAULT 0,
    "latency_05" BIGINT NOT NULL DEFAULT 0,
    "latency_06" BIGINT NOT NULL DEFAULT 0,
    "latency_07" BIGINT NOT NULL DEFAULT 0,
    "latency_08" BIGINT NOT NULL DEFAULT 0,
    "latency_09" BIGINT NOT NULL DEFAULT 0,
    "latency_10" BIGINT NOT NULL DEFAULT 0,
    "latency_11" BIGINT NOT NULL DEFAULT 0,
    "latency_12" BIGINT NOT NULL DEFAULT 0,
    "latency_13" BIGINT NOT NULL DEFAULT 0,
    "latency_14" BIGINT NOT NULL DEFAULT 0,
    "latency_15" BIGINT NOT NULL DEFAULT 0,
    "latency_16" BIGINT NOT NULL DEFAULT 0,
    "latency_17" BIGINT NOT NULL DEFAULT 0,
    "latency_18" BIGINT NOT NULL DEFAULT 0,
    "latency_19" BIGINT NOT NULL DEFAULT 0,
    "latency_20" BIGINT NOT NULL DEFAULT 0,
    "latency_21" BIGINT NOT NULL DEFAULT 0,
    "latency_22" BIGINT NOT NULL DEFAULT 0,
    "latency_23" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "usage_rollup_credential_pkey" PRIMARY KEY ("grain","credential_id","bucket_start","organization_id","tier_id","model_id")
);

-- CreateTable
CREATE TABLE "usage_rollup_end_user" (
    "grain" TEXT NOT NULL,
    "bucket_start" TIMESTAMP(3) NOT NULL,
    "organization_id" TEXT NOT NULL,
    "end_user_id" TEXT NOT NULL,
    "model_id" TEXT NOT NULL,
    "requests" BIGINT NOT NULL DEFAULT 0,
    "prompt_tokens" BIGINT NOT NULL DEFAULT 0,
    "completion_tokens" BIGINT NOT NULL DEFAULT 0,
    "cache_hits" BIGINT NOT NULL DEFAULT 0,
    "spend_usd" DECIMAL(24,10) NOT NULL DEFAULT 0,
    "status_400" BIGINT NOT NULL DEFAULT 0,
    "status_401" BIGINT NOT NULL DEFAULT 0,
    "status_403" BIGINT NOT NULL DEFAULT 0,
    "status_404" BIGINT NOT NULL DEFAULT 0,
    "status_408" BIGINT NOT NULL DEFAULT 0,
    "status_409" BIGINT NOT NULL DEFAULT 0,
    "status_413" BIGINT NOT NULL DEFAULT 0,
    "status_422" BIGINT NOT NULL DEFAULT 0,
    "status_429" BIGINT NOT NULL DEFAULT 0,
    "status_500" BIGINT NOT NULL DEFAULT 0,
    "status_502" BIGINT NOT NULL DEFAULT 0,
    "status_503" BIGINT NOT NULL DEFAULT 0,
    "status_504" BIGINT NOT NULL DEFAULT 0,
    "status_other" BIGINT NOT NULL DEFAULT 0,
    "latency_00" BIGINT NOT NULL DEFAULT 0,
    "latency_01" BIGINT NOT NULL DEFAULT 0,
    "latency_02" BIGINT NOT NULL DEFAULT 0,
    "latency_03" BIGINT NOT NULL DEFAULT 0,
    "latency_04" BIGINT NOT NULL DEFAULT 0,
    "latency_05" BIGINT NOT NULL DEFAULT 0,
    "latency_06" BIGINT NOT NULL DEFAULT 0,
    "latency_07" BIGINT NOT NULL DEFAULT 0,
    "latency_08" BIGINT NOT NULL DEFAULT 0,
    "latency_09" BIGINT NOT NULL DEFAULT 0,
    "latency_10" BIGINT NOT NULL DEFAULT 0,
    "latency_11" BIGINT NOT NULL DEFAULT 0,
    "latency_12" BIGINT NOT NULL DEFAULT 0,
    "latency_13" BIGINT NOT NULL DEFAULT 0,
    "latency_14" BIGINT NOT NULL DEFAULT 0,
    "latency_15" BIGINT NOT NULL DEFAULT 0,
    "latency_16" BIGINT NOT NULL DEFAULT 0,
    "latency_17" BIGINT NOT NULL DEFAULT 0,
    "latency_18" BIGINT NOT NULL DEFAULT 0,
    "latency_19" BIGINT NOT NULL DEFAULT 0,
    "latency_20" BIGINT NOT NULL DEFAULT 0,
    "latency_21" BIGINT NOT NULL DEFAULT 0,
    "latency_22" BIGINT NOT NULL DEFAULT 0,
    "latency_23" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "usage_rollup_end_user_pkey" PRIMARY KEY ("grain","organization_id","bucket_start","end_user_id","model_id")
);

-- CreateTable
CREATE TABLE "usage_rollup_month" (
    "month_start" TIMESTAMP(3) NOT NULL,
    "organization_id" TEXT NOT NULL,
    "credential_id" TEXT NOT NULL,
    "requests" BIGINT NOT NULL DEFAULT 0,
    "tokens" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "usage_rollup_month_pkey" PRIMARY KEY ("month_start","organization_id","credential_id")
);

-- CreateIndex
CREATE INDEX "usage_rollup_organization_grain_bucket_start_idx" ON "usage_rollup_organization"("grain", "bucket_start");

-- CreateIndex
CREATE INDEX "usage_rollup_credential_grain_organization_id_bucket_start_idx" ON "usage_rollup_credential"("grain", "organization_id", "bucket_start");

-- CreateIndex
CREATE INDEX "usage_rollup_credential_grain_bucket_start_idx" ON "usage_rollup_credential"("grain", "bucket_start");

-- CreateIndex
CREATE INDEX "usage_rollup_end_user_organization_id_end_user_id_idx" ON "usage_rollup_end_user"("organization_id", "end_user_id");

-- CreateIndex
CREATE INDEX "usage_rollup_end_user_grain_bucket_start_idx" ON "usage_rollup_end_user"("grain", "bucket_start");

-- CreateIndex
CREATE INDEX "usage_rollup_month_organization_id_month_start_idx" ON "usage_rollup_month"("organization_id", "month_start");


-- Backfill: the usage rows written so far, rolled up as the usage writer rolls up new ones
-- (core/usage/usage-rollups.ts, addToRollupsSql), in one statement: hour, day and month rows of
-- every event, minute rows only of the last 48 hours, which the worker keeps. Events that gateways
-- of the previous version write after it are not rolled up: stop the gateways while migrating.
WITH events AS (SELECT s.organization_id, s.api_key_id, s.oauth_client_id, s.model_id, s.end_user_id, s.status,
                 s.latency_ms, s.prompt_tokens, s.completion_tokens, s.cached, s.created_at, org.tier_id,
                 coalesce(model.input_price_per_m_tokens, 0) AS price_in,
                 coalesce(model.output_price_per_m_tokens, 0) AS price_out
            FROM usage_event s
            JOIN organization org ON org.id = s.organization_id
            LEFT JOIN model ON model.id = s.model_id),
rollup_platform AS (INSERT INTO usage_rollup_platform AS t (grain, bucket_start, tier_id, model_id, requests, prompt_tokens, completion_tokens, cache_hits, spend_usd, status_400, status_401, status_403, status_404, status_408, status_409, status_413, status_422, status_429, status_500, status_502, status_503, status_504, status_other, latency_00, latency_01, latency_02, latency_03, latency_04, latency_05, latency_06, latency_07, latency_08, latency_09, latency_10, latency_11, latency_12, latency_13, latency_14, latency_15, latency_16, latency_17, latency_18, latency_19, latency_20, latency_21, latency_22, latency_23)
    SELECT g.grain, date_trunc(g.grain, e.created_at), e.tier_id, coalesce(e.model_id, ''),
           count(*), sum(e.prompt_tokens), sum(e.completion_tokens), count(*) FILTER (WHERE e.cached), coalesce(sum((e.prompt_tokens * e.price_in + e.completion_tokens * e.price_out) / 1000000), 0), count(*) FILTER (WHERE e.status = 400), count(*) FILTER (WHERE e.status = 401), count(*) FILTER (WHERE e.status = 403), count(*) FILTER (WHERE e.status = 404), count(*) FILTER (WHERE e.status = 408), count(*) FILTER (WHERE e.status = 409), count(*) FILTER (WHERE e.status = 413), count(*) FILTER (WHERE e.status = 422), count(*) FILTER (WHERE e.status = 429), count(*) FILTER (WHERE e.status = 500), count(*) FILTER (WHERE e.status = 502), count(*) FILTER (WHERE e.status = 503), count(*) FILTER (WHERE e.status = 504), count(*) FILTER (WHERE e.status >= 400 AND e.status NOT IN (400, 401, 403, 404, 408, 409, 413, 422, 429, 500, 502, 503, 504)), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 0), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 1), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 2), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 3), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 4), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 5), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 6), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 7), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 8), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 9), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 10), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 11), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 12), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 13), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 14), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 15), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 16), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 17), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 18), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 19), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 20), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 21), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 22), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 23)
      FROM events e CROSS JOIN (VALUES ('minute'), ('hour'), ('day')) AS g(grain)
      WHERE (g.grain <> 'minute' OR e.created_at >= timezone('UTC', now()) - interval '48 hours')
     GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (grain, bucket_start, tier_id, model_id) DO UPDATE SET
      requests = t.requests + EXCLUDED.requests, prompt_tokens = t.prompt_tokens + EXCLUDED.prompt_tokens, completion_tokens = t.completion_tokens + EXCLUDED.completion_tokens, cache_hits = t.cache_hits + EXCLUDED.cache_hits, spend_usd = t.spend_usd + EXCLUDED.spend_usd, status_400 = t.status_400 + EXCLUDED.status_400, status_401 = t.status_401 + EXCLUDED.status_401, status_403 = t.status_403 + EXCLUDED.status_403, status_404 = t.status_404 + EXCLUDED.status_404, status_408 = t.status_408 + EXCLUDED.status_408, status_409 = t.status_409 + EXCLUDED.status_409, status_413 = t.status_413 + EXCLUDED.status_413, status_422 = t.status_422 + EXCLUDED.status_422, status_429 = t.status_429 + EXCLUDED.status_429, status_500 = t.status_500 + EXCLUDED.status_500, status_502 = t.status_502 + EXCLUDED.status_502, status_503 = t.status_503 + EXCLUDED.status_503, status_504 = t.status_504 + EXCLUDED.status_504, status_other = t.status_other + EXCLUDED.status_other, latency_00 = t.latency_00 + EXCLUDED.latency_00, latency_01 = t.latency_01 + EXCLUDED.latency_01, latency_02 = t.latency_02 + EXCLUDED.latency_02, latency_03 = t.latency_03 + EXCLUDED.latency_03, latency_04 = t.latency_04 + EXCLUDED.latency_04, latency_05 = t.latency_05 + EXCLUDED.latency_05, latency_06 = t.latency_06 + EXCLUDED.latency_06, latency_07 = t.latency_07 + EXCLUDED.latency_07, latency_08 = t.latency_08 + EXCLUDED.latency_08, latency_09 = t.latency_09 + EXCLUDED.latency_09, latency_10 = t.latency_10 + EXCLUDED.latency_10, latency_11 = t.latency_11 + EXCLUDED.latency_11, latency_12 = t.latency_12 + EXCLUDED.latency_12, latency_13 = t.latency_13 + EXCLUDED.latency_13, latency_14 = t.latency_14 + EXCLUDED.latency_14, latency_15 = t.latency_15 + EXCLUDED.latency_15, latency_16 = t.latency_16 + EXCLUDED.latency_16, latency_17 = t.latency_17 + EXCLUDED.latency_17, latency_18 = t.latency_18 + EXCLUDED.latency_18, latency_19 = t.latency_19 + EXCLUDED.latency_19, latency_20 = t.latency_20 + EXCLUDED.latency_20, latency_21 = t.latency_21 + EXCLUDED.latency_21, latency_22 = t.latency_22 + EXCLUDED.latency_22, latency_23 = t.latency_23 + EXCLUDED.latency_23),
rollup_organization AS (INSERT INTO usage_rollup_organization AS t (grain, bucket_start, organization_id, tier_id, model_id, requests, prompt_tokens, completion_tokens, cache_hits, spend_usd, status_400, status_401, status_403, status_404, status_408, status_409, status_413, status_422, status_429, status_500, status_502, status_503, status_504, status_other, latency_00, latency_01, latency_02, latency_03, latency_04, latency_05, latency_06, latency_07, latency_08, latency_09, latency_10, latency_11, latency_12, latency_13, latency_14, latency_15, latency_16, latency_17, latency_18, latency_19, latency_20, latency_21, latency_22, latency_23)
    SELECT g.grain, date_trunc(g.grain, e.created_at), e.organization_id, e.tier_id, coalesce(e.model_id, ''),
           count(*), sum(e.prompt_tokens), sum(e.completion_tokens), count(*) FILTER (WHERE e.cached), coalesce(sum((e.prompt_tokens * e.price_in + e.completion_tokens * e.price_out) / 1000000), 0), count(*) FILTER (WHERE e.status = 400), count(*) FILTER (WHERE e.status = 401), count(*) FILTER (WHERE e.status = 403), count(*) FILTER (WHERE e.status = 404), count(*) FILTER (WHERE e.status = 408), count(*) FILTER (WHERE e.status = 409), count(*) FILTER (WHERE e.status = 413), count(*) FILTER (WHERE e.status = 422), count(*) FILTER (WHERE e.status = 429), count(*) FILTER (WHERE e.status = 500), count(*) FILTER (WHERE e.status = 502), count(*) FILTER (WHERE e.status = 503), count(*) FILTER (WHERE e.status = 504), count(*) FILTER (WHERE e.status >= 400 AND e.status NOT IN (400, 401, 403, 404, 408, 409, 413, 422, 429, 500, 502, 503, 504)), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 0), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 1), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 2), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 3), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 4), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 5), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 6), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 7), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 8), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 9), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 10), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 11), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 12), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 13), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 14), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 15), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 16), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 17), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 18), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 19), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 20), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 21), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 22), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 23)
      FROM events e CROSS JOIN (VALUES ('hour'), ('day')) AS g(grain)
      
     GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (grain, bucket_start, organization_id, tier_id, model_id) DO UPDATE SET
      requests = t.requests + EXCLUDED.requests, prompt_tokens = t.prompt_tokens + EXCLUDED.prompt_tokens, completion_tokens = t.completion_tokens + EXCLUDED.completion_tokens, cache_hits = t.cache_hits + EXCLUDED.cache_hits, spend_usd = t.spend_usd + EXCLUDED.spend_usd, status_400 = t.status_400 + EXCLUDED.status_400, status_401 = t.status_401 + EXCLUDED.status_401, status_403 = t.status_403 + EXCLUDED.status_403, status_404 = t.status_404 + EXCLUDED.status_404, status_408 = t.status_408 + EXCLUDED.status_408, status_409 = t.status_409 + EXCLUDED.status_409, status_413 = t.status_413 + EXCLUDED.status_413, status_422 = t.status_422 + EXCLUDED.status_422, status_429 = t.status_429 + EXCLUDED.status_429, status_500 = t.status_500 + EXCLUDED.status_500, status_502 = t.status_502 + EXCLUDED.status_502, status_503 = t.status_503 + EXCLUDED.status_503, status_504 = t.status_504 + EXCLUDED.status_504, status_other = t.status_other + EXCLUDED.status_other, latency_00 = t.latency_00 + EXCLUDED.latency_00, latency_01 = t.latency_01 + EXCLUDED.latency_01, latency_02 = t.latency_02 + EXCLUDED.latency_02, latency_03 = t.latency_03 + EXCLUDED.latency_03, latency_04 = t.latency_04 + EXCLUDED.latency_04, latency_05 = t.latency_05 + EXCLUDED.latency_05, latency_06 = t.latency_06 + EXCLUDED.latency_06, latency_07 = t.latency_07 + EXCLUDED.latency_07, latency_08 = t.latency_08 + EXCLUDED.latency_08, latency_09 = t.latency_09 + EXCLUDED.latency_09, latency_10 = t.latency_10 + EXCLUDED.latency_10, latency_11 = t.latency_11 + EXCLUDED.latency_11, latency_12 = t.latency_12 + EXCLUDED.latency_12, latency_13 = t.latency_13 + EXCLUDED.latency_13, latency_14 = t.latency_14 + EXCLUDED.latency_14, latency_15 = t.latency_15 + EXCLUDED.latency_15, latency_16 = t.latency_16 + EXCLUDED.latency_16, latency_17 = t.latency_17 + EXCLUDED.latency_17, latency_18 = t.latency_18 + EXCLUDED.latency_18, latency_19 = t.latency_19 + EXCLUDED.latency_19, latency_20 = t.latency_20 + EXCLUDED.latency_20, latency_21 = t.latency_21 + EXCLUDED.latency_21, latency_22 = t.latency_22 + EXCLUDED.latency_22, latency_23 = t.latency_23 + EXCLUDED.latency_23),
rollup_credential AS (INSERT INTO usage_rollup_credential AS t (grain, bucket_start, organization_id, credential_id, tier_id, model_id, requests, prompt_tokens, completion_tokens, cache_hits, spend_usd, status_400, status_401, status_403, status_404, status_408, status_409, status_413, status_422, status_429, status_500, status_502, status_503, status_504, status_other, latency_00, latency_01, latency_02, latency_03, latency_04, latency_05, latency_06, latency_07, latency_08, latency_09, latency_10, latency_11, latency_12, latency_13, latency_14, latency_15, latency_16, latency_17, latency_18, latency_19, latency_20, latency_21, latency_22, latency_23)
    SELECT g.grain, date_trunc(g.grain, e.created_at), e.organization_id, coalesce(e.api_key_id, e.oauth_client_id, ''), e.tier_id, coalesce(e.model_id, ''),
           count(*), sum(e.prompt_tokens), sum(e.completion_tokens), count(*) FILTER (WHERE e.cached), coalesce(sum((e.prompt_tokens * e.price_in + e.completion_tokens * e.price_out) / 1000000), 0), count(*) FILTER (WHERE e.status = 400), count(*) FILTER (WHERE e.status = 401), count(*) FILTER (WHERE e.status = 403), count(*) FILTER (WHERE e.status = 404), count(*) FILTER (WHERE e.status = 408), count(*) FILTER (WHERE e.status = 409), count(*) FILTER (WHERE e.status = 413), count(*) FILTER (WHERE e.status = 422), count(*) FILTER (WHERE e.status = 429), count(*) FILTER (WHERE e.status = 500), count(*) FILTER (WHERE e.status = 502), count(*) FILTER (WHERE e.status = 503), count(*) FILTER (WHERE e.status = 504), count(*) FILTER (WHERE e.status >= 400 AND e.status NOT IN (400, 401, 403, 404, 408, 409, 413, 422, 429, 500, 502, 503, 504)), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 0), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 1), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 2), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 3), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 4), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 5), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 6), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 7), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 8), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 9), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 10), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 11), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 12), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 13), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 14), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 15), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 16), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 17), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 18), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 19), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 20), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 21), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 22), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 23)
      FROM events e CROSS JOIN (VALUES ('minute'), ('hour'), ('day')) AS g(grain)
      WHERE (g.grain <> 'minute' OR e.created_at >= timezone('UTC', now()) - interval '48 hours')
     GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (grain, bucket_start, organization_id, credential_id, tier_id, model_id) DO UPDATE SET
      requests = t.requests + EXCLUDED.requests, prompt_tokens = t.prompt_tokens + EXCLUDED.prompt_tokens, completion_tokens = t.completion_tokens + EXCLUDED.completion_tokens, cache_hits = t.cache_hits + EXCLUDED.cache_hits, spend_usd = t.spend_usd + EXCLUDED.spend_usd, status_400 = t.status_400 + EXCLUDED.status_400, status_401 = t.status_401 + EXCLUDED.status_401, status_403 = t.status_403 + EXCLUDED.status_403, status_404 = t.status_404 + EXCLUDED.status_404, status_408 = t.status_408 + EXCLUDED.status_408, status_409 = t.status_409 + EXCLUDED.status_409, status_413 = t.status_413 + EXCLUDED.status_413, status_422 = t.status_422 + EXCLUDED.status_422, status_429 = t.status_429 + EXCLUDED.status_429, status_500 = t.status_500 + EXCLUDED.status_500, status_502 = t.status_502 + EXCLUDED.status_502, status_503 = t.status_503 + EXCLUDED.status_503, status_504 = t.status_504 + EXCLUDED.status_504, status_other = t.status_other + EXCLUDED.status_other, latency_00 = t.latency_00 + EXCLUDED.latency_00, latency_01 = t.latency_01 + EXCLUDED.latency_01, latency_02 = t.latency_02 + EXCLUDED.latency_02, latency_03 = t.latency_03 + EXCLUDED.latency_03, latency_04 = t.latency_04 + EXCLUDED.latency_04, latency_05 = t.latency_05 + EXCLUDED.latency_05, latency_06 = t.latency_06 + EXCLUDED.latency_06, latency_07 = t.latency_07 + EXCLUDED.latency_07, latency_08 = t.latency_08 + EXCLUDED.latency_08, latency_09 = t.latency_09 + EXCLUDED.latency_09, latency_10 = t.latency_10 + EXCLUDED.latency_10, latency_11 = t.latency_11 + EXCLUDED.latency_11, latency_12 = t.latency_12 + EXCLUDED.latency_12, latency_13 = t.latency_13 + EXCLUDED.latency_13, latency_14 = t.latency_14 + EXCLUDED.latency_14, latency_15 = t.latency_15 + EXCLUDED.latency_15, latency_16 = t.latency_16 + EXCLUDED.latency_16, latency_17 = t.latency_17 + EXCLUDED.latency_17, latency_18 = t.latency_18 + EXCLUDED.latency_18, latency_19 = t.latency_19 + EXCLUDED.latency_19, latency_20 = t.latency_20 + EXCLUDED.latency_20, latency_21 = t.latency_21 + EXCLUDED.latency_21, latency_22 = t.latency_22 + EXCLUDED.latency_22, latency_23 = t.latency_23 + EXCLUDED.latency_23),
rollup_endUser AS (INSERT INTO usage_rollup_end_user AS t (grain, bucket_start, organization_id, end_user_id, model_id, requests, prompt_tokens, completion_tokens, cache_hits, spend_usd, status_400, status_401, status_403, status_404, status_408, status_409, status_413, status_422, status_429, status_500, status_502, status_503, status_504, status_other, latency_00, latency_01, latency_02, latency_03, latency_04, latency_05, latency_06, latency_07, latency_08, latency_09, latency_10, latency_11, latency_12, latency_13, latency_14, latency_15, latency_16, latency_17, latency_18, latency_19, latency_20, latency_21, latency_22, latency_23)
    SELECT g.grain, date_trunc(g.grain, e.created_at), e.organization_id, e.end_user_id, coalesce(e.model_id, ''),
           count(*), sum(e.prompt_tokens), sum(e.completion_tokens), count(*) FILTER (WHERE e.cached), coalesce(sum((e.prompt_tokens * e.price_in + e.completion_tokens * e.price_out) / 1000000), 0), count(*) FILTER (WHERE e.status = 400), count(*) FILTER (WHERE e.status = 401), count(*) FILTER (WHERE e.status = 403), count(*) FILTER (WHERE e.status = 404), count(*) FILTER (WHERE e.status = 408), count(*) FILTER (WHERE e.status = 409), count(*) FILTER (WHERE e.status = 413), count(*) FILTER (WHERE e.status = 422), count(*) FILTER (WHERE e.status = 429), count(*) FILTER (WHERE e.status = 500), count(*) FILTER (WHERE e.status = 502), count(*) FILTER (WHERE e.status = 503), count(*) FILTER (WHERE e.status = 504), count(*) FILTER (WHERE e.status >= 400 AND e.status NOT IN (400, 401, 403, 404, 408, 409, 413, 422, 429, 500, 502, 503, 504)), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 0), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 1), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 2), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 3), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 4), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 5), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 6), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 7), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 8), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 9), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 10), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 11), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 12), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 13), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 14), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 15), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 16), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 17), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 18), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 19), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 20), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 21), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 22), count(*) FILTER (WHERE width_bucket(e.latency_ms, '{10,15,22,33,49,73,109,163,244,366,549,823,1234,1851,2776,4164,6246,9369,14053,21079,31618,47427,71140}'::int[]) = 23)
      FROM events e CROSS JOIN (VALUES ('minute'), ('hour'), ('day')) AS g(grain)
      WHERE e.end_user_id IS NOT NULL AND (g.grain <> 'minute' OR e.created_at >= timezone('UTC', now()) - interval '48 hours')
     GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (grain, bucket_start, organization_id, end_user_id, model_id) DO UPDATE SET
      requests = t.requests + EXCLUDED.requests, prompt_tokens = t.prompt_tokens + EXCLUDED.prompt_tokens, completion_tokens = t.completion_tokens + EXCLUDED.completion_tokens, cache_hits = t.cache_hits + EXCLUDED.cache_hits, spend_usd = t.spend_usd + EXCLUDED.spend_usd, status_400 = t.status_400 + EXCLUDED.status_400, status_401 = t.status_401 + EXCLUDED.status_401, status_403 = t.status_403 + EXCLUDED.status_403, status_404 = t.status_404 + EXCLUDED.status_404, status_408 = t.status_408 + EXCLUDED.status_408, status_409 = t.status_409 + EXCLUDED.status_409, status_413 = t.status_413 + EXCLUDED.status_413, status_422 = t.status_422 + EXCLUDED.status_422, status_429 = t.status_429 + EXCLUDED.status_429, status_500 = t.status_500 + EXCLUDED.status_500, status_502 = t.status_502 + EXCLUDED.status_502, status_503 = t.status_503 + EXCLUDED.status_503, status_504 = t.status_504 + EXCLUDED.status_504, status_other = t.status_other + EXCLUDED.status_other, latency_00 = t.latency_00 + EXCLUDED.latency_00, latency_01 = t.latency_01 + EXCLUDED.latency_01, latency_02 = t.latency_02 + EXCLUDED.latency_02, latency_03 = t.latency_03 + EXCLUDED.latency_03, latency_04 = t.latency_04 + EXCLUDED.latency_04, latency_05 = t.latency_05 + EXCLUDED.latency_05, latency_06 = t.latency_06 + EXCLUDED.latency_06, latency_07 = t.latency_07 + EXCLUDED.latency_07, latency_08 = t.latency_08 + EXCLUDED.latency_08, latency_09 = t.latency_09 + EXCLUDED.latency_09, latency_10 = t.latency_10 + EXCLUDED.latency_10, latency_11 = t.latency_11 + EXCLUDED.latency_11, latency_12 = t.latency_12 + EXCLUDED.latency_12, latency_13 = t.latency_13 + EXCLUDED.latency_13, latency_14 = t.latency_14 + EXCLUDED.latency_14, latency_15 = t.latency_15 + EXCLUDED.latency_15, latency_16 = t.latency_16 + EXCLUDED.latency_16, latency_17 = t.latency_17 + EXCLUDED.latency_17, latency_18 = t.latency_18 + EXCLUDED.latency_18, latency_19 = t.latency_19 + EXCLUDED.latency_19, latency_20 = t.latency_20 + EXCLUDED.latency_20, latency_21 = t.latency_21 + EXCLUDED.latency_21, latency_22 = t.latency_22 + EXCLUDED.latency_22, latency_23 = t.latency_23 + EXCLUDED.latency_23),
rollup_month AS (INSERT INTO usage_rollup_month AS t (month_start, organization_id, credential_id, requests, tokens)
    SELECT date_trunc('month', e.created_at), e.organization_id, coalesce(e.api_key_id, e.oauth_client_id, ''),
           count(*), coalesce(sum(e.prompt_tokens::bigint + e.completion_tokens), 0)
      FROM events e
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (month_start, organization_id, credential_id) DO UPDATE SET
      requests = t.requests + EXCLUDED.requests, tokens = t.tokens + EXCLUDED.tokens)
SELECT 1;
