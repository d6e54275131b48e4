CREATE TABLE "uplift_models" (
	"id" serial PRIMARY KEY NOT NULL,
	"dataset_id" integer NOT NULL,
	"dataset_version_id" integer NOT NULL,
	"model" jsonb NOT NULL,
	"qini" jsonb NOT NULL,
	"treated_count" integer NOT NULL,
	"treated_churned" integer NOT NULL,
	"holdout_count" integer NOT NULL,
	"holdout_churned" integer NOT NULL,
	"campaign_count" integer NOT NULL,
	"created_by_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "uplift_models" ADD CONSTRAINT "uplift_models_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uplift_models" ADD CONSTRAINT "uplift_models_dataset_version_id_dataset_versions_id_fk" FOREIGN KEY ("dataset_version_id") REFERENCES "public"."dataset_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uplift_models" ADD CONSTRAINT "uplift_models_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "uplift_models_dataset_created_idx" ON "uplift_models" USING btree ("dataset_id","created_at");