/** vitest setupFiles: every test process has durable work wired, as a server process has. */
import { wireDurableWork } from "./wire";

wireDurableWork();
