CREATE TABLE "drift_reports" (
	"id" serial PRIMARY KEY NOT NULL,
	"dataset_id" integer NOT NULL,
	"model_id" integer NOT NULL,
	"baseline_version_id" integer NOT NULL,
	"source_kind" text NOT NULL,
	"dataset_version_id" integer,
	"batch_id" integer,
	"status" "job_status" DEFAULT 'queued' NOT NULL,
	"trigger" text DEFAULT 'manual' NOT NULL,
	"level" text,
	"weighted_psi" real,
	"risk_psi" real,
	"rows" integer,
	"result" jsonb,
	"error" text,
	"job_id" text,
	"alerted_at" timestamp with time zone,
	"created_by_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "drift_reports_one_source" CHECK (("drift_reports"."source_kind" = 'version' and "drift_reports"."dataset_version_id" is not null and "drift_reports"."batch_id" is null) or ("drift_reports"."source_kind" = 'batch' and "drift_reports"."batch_id" is not null and "drift_reports"."dataset_version_id" is null))
);
--> statement-breakpoint
ALTER TABLE "drift_reports" ADD CONSTRAINT "drift_reports_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_reports" ADD CONSTRAINT "drift_reports_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_reports" ADD CONSTRAINT "drift_reports_baseline_version_id_dataset_versions_id_fk" FOREIGN KEY ("baseline_version_id") REFERENCES "public"."dataset_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_reports" ADD CONSTRAINT "drift_reports_dataset_version_id_dataset_versions_id_fk" FOREIGN KEY ("dataset_version_id") REFERENCES "public"."dataset_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_reports" ADD CONSTRAINT "drift_reports_batch_id_score_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."score_batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_reports" ADD CONSTRAINT "drift_reports_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "drift_reports_model_version_key" ON "drift_reports" USING btree ("model_id","dataset_version_id") WHERE "drift_reports"."dataset_version_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "drift_reports_model_batch_key" ON "drift_reports" USING btree ("model_id","batch_id") WHERE "drift_reports"."batch_id" is not null;--> statement-breakpoint
CREATE INDEX "drift_reports_dataset_idx" ON "drift_reports" USING btree ("dataset_id","created_at");