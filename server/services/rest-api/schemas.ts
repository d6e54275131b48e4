/**
 * The REST predict API's request and response shapes, as zod schemas: the handler validates with
 * them and the OpenAPI document is generated from them (openapi.ts), so the two cannot drift.
 * Every example in the document is parsed by these schemas in openapi.test.ts.
 */
import { z } from "zod";

export const MAX_BATCH_CUSTOMERS = 1_000;
/** Largest request body accepted (413 past it): room for 1,000 customers of a wide table. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

const EXAMPLE_CUSTOMER = {
  gender: "Female",
  SeniorCitizen: "0",
  Partner: "Yes",
  Dependents: "No",
  tenure: 2,
  PhoneService: "Yes",
  MultipleLines: "No",
  InternetService: "Fiber optic",
  OnlineSecurity: "No",
  OnlineBackup: "No",
  DeviceProtection: "No",
  TechSupport: "No",
  StreamingTV: "Yes",
  StreamingMovies: "Yes",
  Contract: "Month-to-month",
  PaperlessBilling: "Yes",
  PaymentMethod: "Electronic check",
  MonthlyCharges: 95.5,
  TotalCharges: 190.2,
};

/**
 * One customer's columns as in the training file. Values are checked against the champion's
 * inputs by the predictions core (unknown field, wrong type, unknown category → 400 naming the
 * field), so zod only checks that it is an object.
 */
export const customerDataSchema = z.record(z.string(), z.unknown()).meta({
  description:
    "The customer's columns, named as in the dataset's training file (target column not needed). " +
    "Missing columns are imputed as in training and listed in `warnings`; columns the model does not " +
    "use (identifiers, the target) are ignored with a warning; unknown columns, wrong types and " +
    "categories the model never saw are refused with 400 naming the field.",
  additionalProperties: { type: ["string", "number", "boolean", "null"] },
  examples: [EXAMPLE_CUSTOMER],
});

const datasetIdSchema = z
  .number({
    error: (issue) => (issue.input === undefined ? "dataset_id is required" : "dataset_id must be a number"),
  })
  .int("dataset_id must be a whole number")
  .positive("dataset_id must be positive")
  .max(2_147_483_647, "dataset_id is too large")
  .meta({ description: "The dataset whose champion model scores the customer(s).", examples: [1] });

export const predictRequestSchema = z
  .strictObject({
    customer_data: customerDataSchema,
    dataset_id: datasetIdSchema,
    next_best_action: z
      .boolean()
      .optional()
      .meta({
        description:
          "Also search for the next-best action (the cheapest change the model predicts lowers the risk most) and " +
          "add it to `insights`. Off by default: the search scores about a thousand variants of the customer and " +
          "adds roughly 10–20 ms to the call.",
      }),
  })
  .meta({
    description: "Score one customer (needs the `predict` scope).",
    examples: [
      { customer_data: EXAMPLE_CUSTOMER, dataset_id: 1 },
      { customer_data: EXAMPLE_CUSTOMER, dataset_id: 1, next_best_action: true },
    ],
  });

export const batchPredictRequestSchema = z
  .strictObject({
    customers: z
      .array(customerDataSchema)
      .min(1, "customers must hold at least one customer")
      .max(
        MAX_BATCH_CUSTOMERS,
        `customers holds at most ${MAX_BATCH_CUSTOMERS.toLocaleString("en")} customers per call`,
      ),
    dataset_id: datasetIdSchema,
  })
  .meta({
    description: `Score up to ${MAX_BATCH_CUSTOMERS.toLocaleString("en")} customers in one call (needs the \`predict:batch\` scope).`,
    examples: [
      {
        customers: [EXAMPLE_CUSTOMER, { ...EXAMPLE_CUSTOMER, tenure: 60, Contract: "Two year" }],
        dataset_id: 1,
      },
    ],
  });

export const predictionWarningSchema = z
  .object({
    field: z.string(),
    code: z.enum(["missing", "unreadable", "unseen_category", "ignored"]),
    message: z.string(),
  })
  .meta({
    description:
      "Something the API fixed up instead of refusing: `missing` (imputed as in training) or `ignored` (not a model input).",
  });

export const insightSchema = z
  .object({
    type: z.enum(["driver", "action", "next_best_action"]).meta({
      description:
        "`driver`: a top reason for the score; `action`: a retention action from the playbook for a driver that raises the risk; " +
        "`next_best_action` (single customer, when asked for with `next_best_action: true`): the cheapest change the model predicts lowers the risk most.",
    }),
    text: z.string().meta({ description: "Plain words for a person, e.g. a CRM note." }),
    column: z.string().optional(),
    value: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
    points: z.number().optional().meta({
      description:
        "For drivers: signed change in churn probability, in percentage points (18.3 = +18.3 points).",
    }),
    actionable: z.boolean().optional().meta({
      description:
        "For drivers: whether the business can change it (contract, payment) or it is context (tenure).",
    }),
    rationale: z.string().optional().meta({ description: "For actions: why the playbook recommends it." }),
    new_risk_score: z.number().optional().meta({
      description:
        "For the next-best action: the predicted risk after the change (a model prediction, not a guarantee).",
    }),
  })
  .meta({
    description: "A top driver of the risk in plain words, or a recommended retention action.",
  });

const riskScore = z.number().min(0).max(1);

export const customerPredictionSchema = z
  .object({
    risk_score: riskScore.meta({ description: "Probability of churn, 0 to 1." }),
    risk_level: z
      .enum(["low", "medium", "high"])
      .meta({ description: "Band of risk_score; the thresholds are set by an admin (Admin → Settings)." }),
    is_predicted_churn: z
      .boolean()
      .meta({ description: "risk_score is at or above the model's decision threshold." }),
    insights: z.array(insightSchema),
    shap_values: z.record(z.string(), z.number()).meta({
      description:
        "SHAP contribution of every input column (one-hot parts folded back into their column), as a change in " +
        "churn probability on the 0–1 scale of risk_score (0.18 = +18 percentage points; negative lowers the risk). " +
        "base_value + the sum of all shap_values = risk_score.",
    }),
    base_value: riskScore.meta({
      description: "The model's average prediction: where the contributions start.",
    }),
    warnings: z.array(predictionWarningSchema),
  })
  .meta({ description: "The score of one customer." });

const modelFields = {
  model_version: z.number().int().meta({ description: 'The champion\'s per-dataset version ("model v7").' }),
  model_id: z.number().int(),
  dataset_id: z.number().int(),
};

const EXAMPLE_PREDICTION = {
  risk_score: 0.71,
  risk_level: "high" as const,
  is_predicted_churn: true,
  insights: [
    {
      type: "driver" as const,
      text: "Contract = Month-to-month raises risk by 18 points",
      column: "Contract",
      value: "Month-to-month",
      points: 18.2,
      actionable: true,
    },
    {
      type: "driver" as const,
      text: "tenure = 2 raises risk by 12 points",
      column: "tenure",
      value: 2,
      points: 12.1,
      actionable: false,
    },
    {
      type: "action" as const,
      text: "Offer 20 % off the next bill for switching to a one-year contract",
      rationale:
        "Month-to-month customers can leave any month; an immediate saving makes the commitment easy to accept.",
      column: "Contract",
    },
    {
      type: "next_best_action" as const,
      text: "Offer a one-year contract: predicted risk 71 % → 44 % (a model prediction, not a guarantee)",
      column: "Contract",
      new_risk_score: 0.44,
    },
  ],
  shap_values: {
    Contract: 0.18,
    tenure: 0.12,
    InternetService: 0.08,
    MonthlyCharges: 0.03,
    TotalCharges: -0.02,
  },
  base_value: 0.32,
  warnings: [],
};

export const predictResponseSchema = customerPredictionSchema.extend(modelFields).meta({
  examples: [{ ...EXAMPLE_PREDICTION, model_version: 3, model_id: 12, dataset_id: 1 }],
});

export const batchPredictResponseSchema = z
  .object({ predictions: z.array(customerPredictionSchema), ...modelFields })
  .meta({
    description: "One prediction per customer, in request order.",
    examples: [{ predictions: [EXAMPLE_PREDICTION], model_version: 3, model_id: 12, dataset_id: 1 }],
  });

export const API_ERROR_CODES = {
  invalid_json: "The body is not valid JSON.",
  invalid_body: "The body does not have the documented shape (field names the problem).",
  too_many_customers: `More than ${MAX_BATCH_CUSTOMERS.toLocaleString("en")} customers in one call.`,
  unknown_field: "A customer field the model does not know (field names it; index is the customer).",
  wrong_type: "A value of the wrong type, e.g. text in a numeric field.",
  unknown_category: "A category the model never saw in training.",
  invalid_record: "A customer that is not a JSON object.",
  missing_api_key: "No Authorization: Bearer <key> header.",
  invalid_api_key: "The key is not a ChurnGuard API key or does not exist.",
  revoked_api_key: "The key was revoked by an admin.",
  insufficient_scope: "The key lacks the scope this call needs.",
  dataset_not_found: "No dataset with this dataset_id.",
  no_champion: "The dataset has no champion model yet.",
  payload_too_large: "The body is larger than the limit.",
  rate_limited: "Too many calls with this key; wait Retry-After seconds.",
  internal_error: "Something failed on the server; the message has a reference for the logs.",
} as const;
export type ApiErrorCode = keyof typeof API_ERROR_CODES;

/** The HTTP status each error code comes with (API page, OpenAPI document, handler tests). */
export const API_ERROR_STATUS: Record<ApiErrorCode, number> = {
  invalid_json: 400,
  invalid_body: 400,
  too_many_customers: 400,
  unknown_field: 400,
  wrong_type: 400,
  unknown_category: 400,
  invalid_record: 400,
  missing_api_key: 401,
  invalid_api_key: 401,
  revoked_api_key: 401,
  insufficient_scope: 403,
  dataset_not_found: 404,
  no_champion: 404,
  payload_too_large: 413,
  rate_limited: 429,
  internal_error: 500,
};

export const apiErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(API_ERROR_CODES) as [ApiErrorCode, ...ApiErrorCode[]]),
      message: z.string(),
      field: z
        .string()
        .optional()
        .meta({ description: "The field at fault (dotted path for the body's shape)." }),
      index: z.number().int().optional().meta({ description: "The customer at fault in a batch (0-based)." }),
    }),
  })
  .meta({
    examples: [
      {
        error: {
          code: "unknown_category",
          message: 'Contract: "Weekly" is not a category the model knows',
          field: "Contract",
          index: 0,
        },
      },
    ],
  });

export type PredictRequest = z.infer<typeof predictRequestSchema>;
export type BatchPredictRequest = z.infer<typeof batchPredictRequestSchema>;
export type ApiCustomerPrediction = z.infer<typeof customerPredictionSchema>;
export type ApiInsight = z.infer<typeof insightSchema>;
