export {
  QUICKSTART_PROMPT,
  type QuickstartExample,
  type QuickstartExampleId,
  type QuickstartExampleInput,
  quickstartExamples,
} from "./quickstart-examples.ts";
