CREATE TABLE IF NOT EXISTS "alert_dead_letters" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"route" text NOT NULL,
	"route_type" text NOT NULL,
	"group_key" text,
	"status" text NOT NULL,
	"payload" jsonb NOT NULL,
	"attempts" integer NOT NULL,
	"last_error" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "alert_dead_letters_created" ON "alert_dead_letters" USING btree ("created_at");
