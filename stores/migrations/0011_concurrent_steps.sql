ALTER TABLE "quotas" ADD COLUMN IF NOT EXISTS "concurrent_steps" integer;
