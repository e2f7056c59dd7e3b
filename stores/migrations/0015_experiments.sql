CREATE TABLE "experiments" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"agent_name" text NOT NULL,
	"arms" jsonb NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"winner" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"stopped_by" text,
	"stopped_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE UNIQUE INDEX "experiments_one_running_per_agent" ON "experiments" USING btree ("tenant_id","agent_name") WHERE "experiments"."status" = 'running';
--> statement-breakpoint
CREATE INDEX "experiments_tenant_agent_created" ON "experiments" USING btree ("tenant_id","agent_name","created_at");
--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN IF NOT EXISTS "experiment_id" text;
--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN IF NOT EXISTS "experiment_arm" text;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "runs_tenant_experiment" ON "runs" USING btree ("tenant_id","experiment_id");
