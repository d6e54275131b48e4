CREATE TABLE "api_requests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"api_key_id" integer,
	"endpoint" text NOT NULL,
	"dataset_id" integer,
	"model_id" integer,
	"model_version" integer,
	"status" smallint NOT NULL,
	"error_code" text,
	"customers" integer DEFAULT 0 NOT NULL,
	"latency_ms" real NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "batch_scores" (
	"batch_id" integer NOT NULL,
	"row_number" integer NOT NULL,
	"external_id" text,
	"risk_score" real NOT NULL,
	"risk_level" text NOT NULL,
	"drivers" jsonb NOT NULL,
	"action" text,
	"warnings" jsonb,
	CONSTRAINT "batch_scores_batch_id_row_number_pk" PRIMARY KEY("batch_id","row_number")
);
--> statement-breakpoint
CREATE TABLE "score_batches" (
	"id" serial PRIMARY KEY NOT NULL,
	"dataset_id" integer NOT NULL,
	"model_id" integer NOT NULL,
	"file_name" text NOT NULL,
	"storage_key" text NOT NULL,
	"sha256" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"row_count" integer NOT NULL,
	"rows_scored" integer DEFAULT 0 NOT NULL,
	"status" "job_status" DEFAULT 'queued' NOT NULL,
	"summary" jsonb,
	"error" text,
	"job_id" text,
	"created_by_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "api_requests" ADD CONSTRAINT "api_requests_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_scores" ADD CONSTRAINT "batch_scores_batch_id_score_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."score_batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_batches" ADD CONSTRAINT "score_batches_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_batches" ADD CONSTRAINT "score_batches_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_batches" ADD CONSTRAINT "score_batches_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_requests_created_idx" ON "api_requests" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "api_requests_key_created_idx" ON "api_requests" USING btree ("api_key_id","created_at");--> statement-breakpoint
CREATE INDEX "score_batches_dataset_idx" ON "score_batches" USING btree ("dataset_id","created_at");--> statement-breakpoint
CREATE INDEX "scores_model_level_risk_idx" ON "scores" USING btree ("model_id","risk_level","risk_score");