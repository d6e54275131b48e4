CREATE TABLE "model_decisions" (
	"id" serial PRIMARY KEY NOT NULL,
	"dataset_id" integer NOT NULL,
	"run_id" integer NOT NULL,
	"challenger_model_id" integer NOT NULL,
	"champion_model_id" integer,
	"challenger_figures" jsonb NOT NULL,
	"champion_figures" jsonb,
	"held_out_rows" integer NOT NULL,
	"rule" jsonb NOT NULL,
	"rule_reasons" jsonb NOT NULL,
	"outcome" text DEFAULT 'pending' NOT NULL,
	"decided_by" text,
	"decided_by_id" integer,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "retraining_schedules" (
	"dataset_id" integer PRIMARY KEY NOT NULL,
	"is_enabled" boolean DEFAULT false NOT NULL,
	"cron" text NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"policy" text DEFAULT 'manual' NOT NULL,
	"metric" text DEFAULT 'auc' NOT NULL,
	"margin" real DEFAULT 0.005 NOT NULL,
	"calibration_bound" real DEFAULT 0.005 NOT NULL,
	"webhook_url" text,
	"webhook_secret" text,
	"next_run_at" timestamp with time zone,
	"last_run_at" timestamp with time zone,
	"last_run_id" integer,
	"last_outcome" text,
	"last_error" text,
	"failure_notice_at" timestamp with time zone,
	"updated_by_id" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "model_decisions" ADD CONSTRAINT "model_decisions_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_decisions" ADD CONSTRAINT "model_decisions_run_id_training_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."training_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_decisions" ADD CONSTRAINT "model_decisions_challenger_model_id_models_id_fk" FOREIGN KEY ("challenger_model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_decisions" ADD CONSTRAINT "model_decisions_champion_model_id_models_id_fk" FOREIGN KEY ("champion_model_id") REFERENCES "public"."models"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_decisions" ADD CONSTRAINT "model_decisions_decided_by_id_users_id_fk" FOREIGN KEY ("decided_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retraining_schedules" ADD CONSTRAINT "retraining_schedules_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retraining_schedules" ADD CONSTRAINT "retraining_schedules_last_run_id_training_runs_id_fk" FOREIGN KEY ("last_run_id") REFERENCES "public"."training_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retraining_schedules" ADD CONSTRAINT "retraining_schedules_updated_by_id_users_id_fk" FOREIGN KEY ("updated_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "model_decisions_run_key" ON "model_decisions" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "model_decisions_dataset_idx" ON "model_decisions" USING btree ("dataset_id","created_at");