ALTER TABLE "notes" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "notes" ADD COLUMN "supersedes_id" text;--> statement-breakpoint
ALTER TABLE "notes" ADD COLUMN "superseded_by" text;--> statement-breakpoint
ALTER TABLE "notes" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notes" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notes" ADD COLUMN "embedding" real[];--> statement-breakpoint
ALTER TABLE "notes" ADD COLUMN "embedding_model" text;--> statement-breakpoint
CREATE INDEX "notes_tenant_user_live" ON "notes" USING btree ("tenant_id","user_id","created_at") WHERE "superseded_by" IS NULL AND "deleted_at" IS NULL;--> statement-breakpoint
CREATE TABLE "note_extractions" (
	"run_id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"note_ids" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "note_extractions" ADD CONSTRAINT "note_extractions_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- pgvector is optional: PostgreSQL without the extension (e.g. Debian's packages) still migrates,
-- and the notes store falls back to exact search (stores/notes/pgvector-setup.ts says how to fix it).
DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') THEN
		CREATE EXTENSION IF NOT EXISTS vector;
		CREATE TABLE IF NOT EXISTS "note_embeddings" (
			"note_id" text PRIMARY KEY NOT NULL REFERENCES "public"."notes"("id"),
			"tenant_id" text NOT NULL,
			"dimensions" integer NOT NULL,
			"embedding" vector NOT NULL
		);
	END IF;
EXCEPTION WHEN insufficient_privilege THEN
	RAISE NOTICE 'pgvector is available but this role may not create it; run CREATE EXTENSION vector as a superuser';
END
$$;
