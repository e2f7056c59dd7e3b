ALTER TABLE "model_usage" ADD COLUMN IF NOT EXISTS "purpose" text DEFAULT 'step' NOT NULL;
--> statement-breakpoint
ALTER TABLE "model_usage" ADD COLUMN IF NOT EXISTS "user_id" text;
--> statement-breakpoint
ALTER TABLE "model_usage" ADD COLUMN IF NOT EXISTS "usage_key" text;
--> statement-breakpoint
UPDATE "model_usage" SET "usage_key" = "run_id" || ':' || "step" || ':step' WHERE "usage_key" IS NULL;
--> statement-breakpoint
UPDATE "model_usage" SET "user_id" = "runs"."user_id" FROM "runs" WHERE "runs"."id" = "model_usage"."run_id" AND "model_usage"."user_id" IS NULL;
--> statement-breakpoint
ALTER TABLE "model_usage" ALTER COLUMN "usage_key" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "model_usage" DROP CONSTRAINT IF EXISTS "model_usage_run_id_step_pk";
--> statement-breakpoint
ALTER TABLE "model_usage" ADD CONSTRAINT "model_usage_usage_key_pk" PRIMARY KEY("usage_key");
--> statement-breakpoint
ALTER TABLE "model_usage" ALTER COLUMN "run_id" DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE "model_usage" ALTER COLUMN "step" DROP NOT NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "model_usage_run" ON "model_usage" USING btree ("run_id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "model_usage_tenant_user_created" ON "model_usage" USING btree ("tenant_id","user_id","created_at");
