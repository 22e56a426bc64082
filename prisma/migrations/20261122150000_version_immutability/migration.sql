-- A registered version is immutable in the database itself: only description, tags, status and updated_at may
-- change (the registry's API allows no more; this stops anything else that connects).
CREATE FUNCTION "model_versions_immutable"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.id, NEW.model_id, NEW.version, NEW.artifact_uri, NEW.artifact_checksum, NEW.signature::text, NEW.code_repository,
      NEW.commit_sha, NEW.data_snapshot_uri, NEW.data_hash, NEW.feature_set_name, NEW.feature_set_version,
      NEW.training_run_id, NEW.training_run_url, NEW.hyperparameters::text, NEW.parent_version, NEW.image_digest,
      NEW.lockfile_hash, NEW.runtime, NEW.accelerator, NEW.resource_class, NEW.registered_by_id, NEW.registered_by,
      NEW.created_at)
     IS DISTINCT FROM
     (OLD.id, OLD.model_id, OLD.version, OLD.artifact_uri, OLD.artifact_checksum, OLD.signature::text, OLD.code_repository,
      OLD.commit_sha, OLD.data_snapshot_uri, OLD.data_hash, OLD.feature_set_name, OLD.feature_set_version,
      OLD.training_run_id, OLD.training_run_url, OLD.hyperparameters::text, OLD.parent_version, OLD.image_digest,
      OLD.lockfile_hash, OLD.runtime, OLD.accelerator, OLD.resource_class, OLD.registered_by_id, OLD.registered_by,
      OLD.created_at) THEN
    RAISE EXCEPTION 'model_versions are immutable once registered: only description, tags and status may change'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "model_versions_immutable"
  BEFORE UPDATE ON "model_versions"
  FOR EACH ROW EXECUTE FUNCTION "model_versions_immutable"();

-- Reports are append-only.
CREATE FUNCTION "evaluation_reports_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'evaluation_reports is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "evaluation_reports_no_update_or_delete"
  BEFORE UPDATE OR DELETE ON "evaluation_reports"
  FOR EACH ROW EXECUTE FUNCTION "evaluation_reports_append_only"();
