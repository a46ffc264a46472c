import type { AcceptanceRun } from "./acceptance-run.js";
import { failed, passed, skipped } from "./check-recorder.js";
import { listSome } from "./text-clip.js";

/**
 * The protocol phase, over everything the connector printed in every run: each message valid
 * against the official Airbyte schema (and no line that only looks like one), and no secret
 * value of a config in any message but records. Example: `await runProtocolChecks(run, true)`.
 */
export async function runProtocolChecks(run: AcceptanceRun, specKnown: boolean): Promise<void> {
  const { recorder, observer } = run;
  await recorder.run(
    { id: "protocol.messages_valid", title: "every message follows the protocol schema" },
    () =>
      observer.problemCount === 0
        ? passed(`${observer.messagesChecked} message(s) checked`)
        : failed(`${observer.problemCount} invalid message(s): ${listSome(observer.problems)}`),
  );
  await recorder.run(
    { id: "protocol.secrets_hidden", title: "no secret of a config appears in the output" },
    () => {
      if (!specKnown) return skipped("no SPEC: which config fields are secret is unknown");
      if (!observer.watchesSecrets) return skipped("the configs hold no airbyte_secret value to look for");
      return observer.leakCount === 0
        ? passed()
        : failed(`a secret value appears in ${observer.leakCount} message(s): ${listSome(observer.leaks)}`);
    },
  );
}
