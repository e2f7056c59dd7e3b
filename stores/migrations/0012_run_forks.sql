ALTER TABLE "runs" ADD COLUMN IF NOT EXISTS "parent_run_id" text;
--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN IF NOT EXISTS "forked_from_step" integer;
--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN IF NOT EXISTS "forked_through_seq" integer;
--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN IF NOT EXISTS "fork_instructions" text;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "step_snapshots" (
	"run_id" text NOT NULL,
	"step" integer NOT NULL,
	"tenant_id" text NOT NULL,
	"manifest_ref" text NOT NULL,
	"entries" integer NOT NULL,
	"unrestorable" jsonb NOT NULL,
	"truncated" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "step_snapshots_run_id_step_pk" PRIMARY KEY("run_id","step")
);
--> statement-breakpoint
ALTER TABLE "step_snapshots" ADD CONSTRAINT "step_snapshots_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE no action ON UPDATE no action;
