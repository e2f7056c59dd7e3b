CREATE TABLE IF NOT EXISTS "scores" (
	"id" text PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"tenant_id" text NOT NULL,
	"agent_name" text,
	"agent_version" integer,
	"scoring_id" text NOT NULL,
	"source" text NOT NULL,
	"scorer_name" text NOT NULL,
	"scorer_kind" text NOT NULL,
	"score" double precision NOT NULL,
	"passed" boolean NOT NULL,
	"reason" text NOT NULL,
	"judge_model" text,
	"judge_input_tokens" integer,
	"judge_output_tokens" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "scores" ADD CONSTRAINT "scores_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "scores_run_scoring_scorer" ON "scores" USING btree ("run_id","scoring_id","scorer_name");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "scores_tenant_agent_created" ON "scores" USING btree ("tenant_id","agent_name","created_at");
