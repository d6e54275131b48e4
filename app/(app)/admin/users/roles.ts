export type Role = "admin" | "manager" | "viewer";

export const ROLE_HELP: Record<Role, string> = {
  admin: "Everything, including users, API keys and the audit log",
  manager: "Upload data, train and promote models, act on customers",
  viewer: "See dashboards, models and customers; change nothing",
};
