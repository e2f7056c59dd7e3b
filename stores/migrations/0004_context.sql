CREATE TABLE "token_calibrations" (
	"model" text PRIMARY KEY NOT NULL,
	"ratio" double precision NOT NULL,
	"samples" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "context_summaries" (
	"run_id" text NOT NULL,
	"through_seq" integer NOT NULL,
	"tenant_id" text NOT NULL,
	"from_seq" integer NOT NULL,
	"kept_seqs" jsonb NOT NULL,
	"dropped_count" integer NOT NULL,
	"text" text NOT NULL,
	"model" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "context_summaries_run_id_through_seq_pk" PRIMARY KEY("run_id","through_seq")
);
--> statement-breakpoint
ALTER TABLE "tool_results" ADD COLUMN "context_output" text;--> statement-breakpoint
ALTER TABLE "context_summaries" ADD CONSTRAINT "context_summaries_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE no action ON UPDATE no action;
