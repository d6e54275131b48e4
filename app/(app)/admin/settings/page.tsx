import type { Metadata } from "next";
import { CurrencyForm } from "./currency-form";
import { RiskBandsForm } from "./risk-bands-form";

export const metadata: Metadata = { title: "Settings" };

export default function SettingsPage() {
  return (
    <div className="max-w-3xl space-y-6">
      <RiskBandsForm />
      <CurrencyForm />
    </div>
  );
}
