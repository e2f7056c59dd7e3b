CREATE TABLE "review_audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"review_id" text NOT NULL,
	"run_id" text NOT NULL,
	"tenant_id" text NOT NULL,
	"actor" text NOT NULL,
	"actor_key_id" text,
	"action" text NOT NULL,
	"reason" text,
	"arguments_seen" jsonb,
	"arguments_applied" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reviews" (
	"id" text PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"subject_key" text NOT NULL,
	"step" integer NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"context" jsonb NOT NULL,
	"decision" jsonb,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "policy" jsonb;--> statement-breakpoint
ALTER TABLE "review_audit" ADD CONSTRAINT "review_audit_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "review_audit_review" ON "review_audit" USING btree ("review_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "reviews_run_subject" ON "reviews" USING btree ("run_id","subject_key");--> statement-breakpoint
CREATE INDEX "reviews_tenant_status" ON "reviews" USING btree ("tenant_id","status","created_at");