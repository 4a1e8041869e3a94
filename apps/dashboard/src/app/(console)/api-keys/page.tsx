import type { Metadata } from "next";
import { credentialsPage } from "../../../components/credentials/credentials-page.tsx";

export const metadata: Metadata = { title: "API keys" };

export default credentialsPage("apiKeys");
