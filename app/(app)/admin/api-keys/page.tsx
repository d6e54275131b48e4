import type { Metadata } from "next";
import { ApiKeysTable } from "@/components/api-keys/api-keys-table";
import { API_KEY_SCOPE_HELP, API_KEY_SCOPES } from "@/server/services/api-keys";

export const metadata: Metadata = { title: "API keys" };

export default function ApiKeysPage() {
  return <ApiKeysTable scopes={API_KEY_SCOPES.map((id) => ({ id, help: API_KEY_SCOPE_HELP[id] }))} />;
}
