-- Gateways keep a snapshot of each organization they serve (tier limits, keys' own limits,
-- allowed models, data settings) and drop it when told here, so that a change made anywhere
-- (dashboard, CLI, plain SQL) applies within milliseconds without a query per request.
-- NOTIFY is transactional: listeners hear of a change only once it is committed, and
-- identical payloads of one transaction arrive once.

CREATE FUNCTION dsc_notify_organization_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'organization' THEN
    PERFORM pg_notify('dsc_organization_changed', 'organization:' || COALESCE(NEW.id, OLD.id));
  ELSIF TG_TABLE_NAME = 'api_key' THEN
    IF NEW.organization_id IS NOT NULL THEN
      PERFORM pg_notify('dsc_organization_changed', 'organization:' || NEW.organization_id);
    END IF;
    IF OLD.organization_id IS NOT NULL AND OLD.organization_id IS DISTINCT FROM NEW.organization_id THEN
      PERFORM pg_notify('dsc_organization_changed', 'organization:' || OLD.organization_id);
    END IF;
  ELSIF TG_TABLE_NAME = 'tier' THEN
    PERFORM pg_notify('dsc_organization_changed', 'tier:' || COALESCE(NEW.id, OLD.id));
  END IF;
  RETURN NULL;
END;
$$;

CREATE FUNCTION dsc_notify_models_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('dsc_organization_changed', 'models');
  RETURN NULL;
END;
$$;

CREATE TRIGGER organization_changed
  AFTER INSERT OR UPDATE OR DELETE ON "organization"
  FOR EACH ROW EXECUTE FUNCTION dsc_notify_organization_changed();

-- only what a snapshot holds: last_used_at, written in batches all day, stays silent
CREATE TRIGGER api_key_limits_changed
  AFTER INSERT OR DELETE OR UPDATE OF requests_per_minute, tokens_per_minute, organization_id ON "api_key"
  FOR EACH ROW EXECUTE FUNCTION dsc_notify_organization_changed();

CREATE TRIGGER tier_changed
  AFTER UPDATE OR DELETE ON "tier"
  FOR EACH ROW EXECUTE FUNCTION dsc_notify_organization_changed();

CREATE TRIGGER model_changed
  AFTER INSERT OR UPDATE OR DELETE ON "model"
  FOR EACH STATEMENT EXECUTE FUNCTION dsc_notify_models_changed();

CREATE TRIGGER model_tier_changed
  AFTER INSERT OR UPDATE OR DELETE ON "_ModelToTier"
  FOR EACH STATEMENT EXECUTE FUNCTION dsc_notify_models_changed();
