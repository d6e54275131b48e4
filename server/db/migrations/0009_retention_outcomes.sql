CREATE TABLE "retention_actions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"assignment_id" integer NOT NULL,
	"campaign_id" integer NOT NULL,
	"customer_id" bigint NOT NULL,
	"external_id" text NOT NULL,
	"is_holdout" boolean NOT NULL,
	"action" text,
	"owner_id" integer,
	"due_date" timestamp with time zone,
	"risk_score" real NOT NULL,
	"risk_decile" smallint NOT NULL,
	"customer_value" real NOT NULL,
	"outcome" text DEFAULT 'pending' NOT NULL,
	"outcome_at" timestamp with time zone,
	"outcome_source" text,
	"outcome_by_id" integer,
	CONSTRAINT "retention_actions_outcome_known" CHECK ("retention_actions"."outcome" in ('pending', 'contacted', 'accepted', 'retained', 'churned')),
	CONSTRAINT "retention_actions_holdout_not_contacted" CHECK (not "retention_actions"."is_holdout" or "retention_actions"."outcome" in ('pending', 'retained', 'churned'))
);
--> statement-breakpoint
CREATE TABLE "retention_assignments" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"holdout_share" real NOT NULL,
	"seed" integer NOT NULL,
	"window_days" integer NOT NULL,
	"treated_count" integer NOT NULL,
	"holdout_count" integer NOT NULL,
	"created_by_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "retention_assignments_campaign_key" UNIQUE("campaign_id")
);
--> statement-breakpoint
ALTER TABLE "retention_actions" ADD CONSTRAINT "retention_actions_assignment_id_retention_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."retention_assignments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retention_actions" ADD CONSTRAINT "retention_actions_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retention_actions" ADD CONSTRAINT "retention_actions_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retention_actions" ADD CONSTRAINT "retention_actions_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retention_actions" ADD CONSTRAINT "retention_actions_outcome_by_id_users_id_fk" FOREIGN KEY ("outcome_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retention_assignments" ADD CONSTRAINT "retention_assignments_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retention_assignments" ADD CONSTRAINT "retention_assignments_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "retention_actions_campaign_customer_key" ON "retention_actions" USING btree ("campaign_id","customer_id");--> statement-breakpoint
CREATE INDEX "retention_actions_campaign_external_idx" ON "retention_actions" USING btree ("campaign_id","external_id");--> statement-breakpoint
CREATE INDEX "retention_actions_owner_outcome_idx" ON "retention_actions" USING btree ("owner_id","outcome");