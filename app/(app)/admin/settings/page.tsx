import type { Metadata } from "next";
import { CurrencyForm } from "./currency-form";
import { DataRetentionForm } from "./data-retention-form";
import { DemoEventsForm } from "./demo-events-form";
import { PlaybookEditor } from "./playbook-editor";
import { RiskBandsForm } from "./risk-bands-form";

export const metadata: Metadata = { title: "Settings" };

export default function SettingsPage() {
  return (
    <div className="space-y-6">
      <div className="max-w-3xl space-y-6">
        <RiskBandsForm />
        <CurrencyForm />
        <DataRetentionForm />
        <DemoEventsForm />
      </div>
      <PlaybookEditor />
    </div>
  );
}
