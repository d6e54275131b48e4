import type { Metadata } from "next";
import { RiskBandsForm } from "./risk-bands-form";

export const metadata: Metadata = { title: "Settings" };

export default function SettingsPage() {
  return (
    <div className="max-w-3xl">
      <RiskBandsForm />
    </div>
  );
}
