CREATE TABLE IF NOT EXISTS "run_requests" (
	"run_id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"setup_key" text NOT NULL,
	"request" text NOT NULL,
	"embedding_model" text NOT NULL,
	"embedding" real[] NOT NULL,
	"reusable" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "run_requests" ADD CONSTRAINT "run_requests_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "run_requests_tenant_setup" ON "run_requests" USING btree ("tenant_id","setup_key","created_at");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "cache_lookups" (
	"run_id" text NOT NULL,
	"step" integer NOT NULL,
	"kind" text NOT NULL,
	"tenant_id" text NOT NULL,
	"hit" boolean NOT NULL,
	"source_run_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cache_lookups_run_id_step_kind_pk" PRIMARY KEY("run_id","step","kind")
);
--> statement-breakpoint
ALTER TABLE "cache_lookups" ADD CONSTRAINT "cache_lookups_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cache_lookups_tenant_created" ON "cache_lookups" USING btree ("tenant_id","created_at");
