import {
  Activity,
  BarChart3,
  BrainCircuit,
  Code2,
  Database,
  FileSpreadsheet,
  FileText,
  Gauge,
  LayoutDashboard,
  ListChecks,
  type LucideIcon,
  PlayCircle,
  ShieldCheck,
  Target,
  Users,
} from "lucide-react";

export interface NavItem {
  href: string;
  label: string;
  icon: LucideIcon;
  adminOnly?: boolean;
}

export const NAV_ITEMS: NavItem[] = [
  { href: "/dashboard", label: "Dashboard", icon: LayoutDashboard },
  { href: "/datasets", label: "Datasets", icon: Database },
  { href: "/train", label: "Train", icon: PlayCircle },
  { href: "/models", label: "Models", icon: BrainCircuit },
  { href: "/predict", label: "Predict", icon: Gauge },
  { href: "/customers", label: "Customers", icon: Users },
  { href: "/scoring", label: "Score a file", icon: FileSpreadsheet },
  { href: "/drift", label: "Drift", icon: Activity },
  { href: "/analytics", label: "Analytics", icon: BarChart3 },
  { href: "/campaigns", label: "Campaigns", icon: Target },
  { href: "/actions", label: "My actions", icon: ListChecks },
  { href: "/reports", label: "Reports", icon: FileText },
  { href: "/api-docs", label: "API", icon: Code2 },
  { href: "/admin", label: "Admin", icon: ShieldCheck, adminOnly: true },
];
