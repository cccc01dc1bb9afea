// README's walk-through with a TypeScript client generated from docs/openapi.json:
//   npx openapi-typescript docs/openapi.json -o clients/typescript/generated/schema.d.ts
//   npx tsc -p clients/typescript        (the walk-through type-checks against the generated types)
//   OTP_URL=http://127.0.0.1:7071 npx tsx clients/typescript/walkthrough.ts
// Keys default to the demo application's (scripts/run.sh); OTP_PICKUP names the folder live codes
// land in (.pickup/). Each step asserts what README says it answers; the first mismatch exits 1.
import { strict as assert } from "node:assert";
import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import createClient from "openapi-fetch";
import type { paths } from "./generated/schema";

const baseUrl = process.env.OTP_URL ?? "http://127.0.0.1:7071";
const sandbox = createClient<paths>({ baseUrl, headers: { "X-API-Key": process.env.OTP_SANDBOX_KEY ?? "otp_test_local_demo_key" } });
const live = createClient<paths>({ baseUrl, headers: { "X-API-Key": process.env.OTP_LIVE_KEY ?? "otp_live_local_demo_key" } });
const pickup = process.env.OTP_PICKUP ?? ".pickup";
const wrongCode = (code: string) => (code[0] === "0" ? "1" : "0") + code.slice(1);

async function main(): Promise<void> {
  // send (202): the sandbox gives the code back
  const sent = await sandbox.POST("/api/v1/otp/send", { body: { phone: "+420777123463", channels: ["sms", "voice"] } });
  assert.equal(sent.response.status, 202, JSON.stringify(sent.error));
  const id = sent.data!.id;
  let code = sent.data!.sandbox_otps!["sms"];
  console.log(`sent ${id} to ${sent.data!.to}`);

  // a wrong code: 400 invalid_code with attempts_remaining 4
  const wrong = await sandbox.POST("/api/v1/otp/verify", { body: { session_token: id, code: wrongCode(code) } });
  assert.deepEqual([wrong.response.status, wrong.error?.code, wrong.error?.attempts_remaining], [400, "invalid_code", 4]);

  // resend within the cooldown: 429 resend_cooldown with Retry-After; after it: 200 and a new code
  const early = await sandbox.POST("/api/v1/otp/resend", { body: { session_token: id } });
  assert.deepEqual([early.response.status, early.error?.code], [429, "resend_cooldown"]);
  const retryAfter = Number(early.response.headers.get("Retry-After"));
  assert.ok(retryAfter >= 1, "Retry-After");
  await sleep(retryAfter * 1000 + 500);
  const resent = await sandbox.POST("/api/v1/otp/resend", { body: { session_token: id } });
  assert.equal(resent.response.status, 200, JSON.stringify(resent.error));
  code = resent.data!.sandbox_otps!["sms"];

  // status and deliveries (the recipient masked)
  const status = await sandbox.GET("/api/v1/otp/{id}", { params: { path: { id } } });
  assert.deepEqual([status.data?.status, status.data?.to], ["pending", "+4207******63"]);
  assert.ok(status.data!.deliveries.length > 0, "deliveries");

  // verify (200 approved); the same code again: the same 200 with Otp-Replayed; with repeat "conflict": 409
  const approved = await sandbox.POST("/api/v1/otp/verify", { body: { session_token: id, code } });
  const again = await sandbox.POST("/api/v1/otp/verify", { body: { session_token: id, code } });
  const conflict = await sandbox.POST("/api/v1/otp/verify", { body: { session_token: id, code, repeat: "conflict" } });
  assert.deepEqual([approved.data?.verified, approved.data?.status], [true, "approved"]);
  assert.deepEqual([again.data?.status, again.response.headers.get("Otp-Replayed")], ["approved", "true"]);
  assert.deepEqual([conflict.response.status, conflict.error?.code], [409, "already_verified"]);
  console.log(`verified ${id}`);

  // a lock: max_attempts 2, two wrong codes (attempts_remaining 1 then 0), then the right one: 423
  const locking = await sandbox.POST("/api/v1/otp/send", { body: { phone: "+420777123464", max_attempts: 2 } });
  const lockId = locking.data!.id;
  const lockCode = locking.data!.sandbox_otps!["sms"];
  const remaining: (number | null | undefined)[] = [];
  for (let i = 0; i < 2; i++) {
    const attempt = await sandbox.POST("/api/v1/otp/verify", { body: { session_token: lockId, code: wrongCode(lockCode) } });
    remaining.push(attempt.error?.attempts_remaining);
  }
  const locked = await sandbox.POST("/api/v1/otp/verify", { body: { session_token: lockId, code: lockCode } });
  assert.deepEqual([...remaining, locked.response.status, locked.error?.code], [1, 0, 423, "session_locked"]);

  // live key: the code arrives as a file in the pickup folder; verify by phone number
  const liveSend = await live.POST("/api/v1/otp/send", { body: { phone: "+420777123465" } });
  assert.equal(liveSend.response.status, 202, JSON.stringify(liveSend.error));
  assert.equal(liveSend.data!.sandbox_otps, undefined);
  const file = `${pickup}/${liveSend.data!.id}.1.0.json`;
  let message: { code: string } | undefined;
  for (let waited = 0; message === undefined; waited += 200) {
    assert.ok(waited < 60_000, `no message in ${file}`);
    message = await readFile(file, "utf8").then((text) => JSON.parse(text) as { code: string }, () => undefined);
    if (message === undefined) await sleep(200);
  }
  const byPhone = await live.POST("/api/v1/otp/verify", { body: { phone: "+420 777 123 465", code: message.code } });
  assert.deepEqual([byPhone.data?.status, byPhone.data?.id], ["approved", liveSend.data!.id]);

  // a key that is not one: 401 invalid_api_key, typed like every problem
  const stranger = createClient<paths>({ baseUrl, headers: { "X-API-Key": "otp_live_not_a_key_of_anyone" } });
  const refused = await stranger.GET("/api/v1/stats", { params: { query: { days: 7 } } });
  assert.deepEqual([refused.response.status, refused.error?.code], [401, "invalid_api_key"]);
  console.log("walk-through done");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
