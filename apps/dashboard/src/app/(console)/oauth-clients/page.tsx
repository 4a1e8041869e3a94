import type { Metadata } from "next";
import { credentialsPage } from "../../../components/credentials/credentials-page.tsx";

export const metadata: Metadata = { title: "OAuth clients" };

export default credentialsPage("oauthClients");
