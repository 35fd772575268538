/**
 * The curl walkthrough the sample prints at start: sign up, trigger 2FA, read the SMS, retry
 * with the code; a trusted device, recovery codes and a phone change; then the TOTP variant
 * with an enrolled device.
 */
export function walkthrough(
  appUrl: string,
  simulatorUrl: string | undefined,
  serviceId: string,
): string {
  const json = `-H 'Content-Type: application/json'`;
  const auth = `-H "Authorization: Bearer $KEY"`;
  const outbox = simulatorUrl
    ? `curl -s "${simulatorUrl}/_simulator/messages?userId=$USER_ID"`
    : '(the code arrives by SMS on the phone you registered)';
  const lines = [
    `Walkthrough (copy the values from each answer into the shell variables):`,
    ``,
    `# 1. Sign up: registers the user with Verigator, answers { username, verigatorId, apiKey }`,
    `curl -s -X POST ${appUrl}/users ${json} -d '{"username":"alice@example.com","phoneNumber":"+372 5555 5555"}'`,
    `KEY=<apiKey>; USER_ID=<verigatorId>`,
    ``,
    `# 2. A protected action without a code: Verigator sends an SMS; 401 TWO_FACTOR_REQUIRED`,
    `curl -s -X POST ${appUrl}/transfers ${auth} ${json} -d '{"to":"bob","amount":100}'`,
    ``,
    `# 3. Read the SMS`,
    outbox,
    ``,
    `# 4. Retry with the code: 201 { status: "sent", ... }`,
    `curl -s -X POST ${appUrl}/transfers ${auth} -H 'X-Verigator-Token: <code>' ${json} -d '{"to":"bob","amount":100}'`,
    ``,
    `# 5. Trust this device: send a new code (step 2, 3) with X-Verigator-Remember-Device: true;`,
    `#    the 201's X-Verigator-Device-Token header holds the device token (curl -i shows it)`,
    `curl -si -X POST ${appUrl}/transfers ${auth} -H 'X-Verigator-Token: <code>' -H 'X-Verigator-Remember-Device: true' ${json} -d '{"to":"bob","amount":100}'`,
    `DEVICE=<X-Verigator-Device-Token>`,
    `# 6. The next transfer with the device token and no code: 201, no SMS sent (for 30 days)`,
    `curl -s -X POST ${appUrl}/transfers ${auth} -H "X-Verigator-Device-Token: $DEVICE" ${json} -d '{"to":"bob","amount":100}'`,
    ``,
    `# 7. Recovery codes, shown once: needs a fresh code (a device token or recovery code will not`,
    `#    do); the first call sends it (401), the second answers 201 { codes: [...] }`,
    `curl -s -X POST ${appUrl}/account/recovery-codes ${auth}`,
    `curl -s -X POST ${appUrl}/account/recovery-codes ${auth} -H 'X-Verigator-Token: <code>'`,
    `# 8. Phone lost: a recovery code in place of a code, once (201; the same code again: 401;`,
    `#    five wrong ones: 429 TWO_FACTOR_LOCKED)`,
    `curl -s -X POST ${appUrl}/transfers ${auth} -H 'X-Verigator-Recovery-Code: <one of the codes>' ${json} -d '{"to":"bob","amount":100}'`,
    ``,
    `# 9. Log out every device: a fresh code again (401 sends it, then 204); $DEVICE no longer passes`,
    `curl -s -X DELETE ${appUrl}/account/trusted-devices ${auth}`,
    `curl -s -X DELETE ${appUrl}/account/trusted-devices ${auth} -H 'X-Verigator-Token: <code>'`,
    ``,
    `# 10. A new phone number behind a fresh code on the old one: a new Verigator user (a new`,
    `#     verigatorId); the lockout and the recovery codes carry over, trusted devices do not`,
    `curl -s -X PUT ${appUrl}/account/phone ${auth} ${json} -d '{"phoneNumber":"+372 5555 5556"}'`,
    `curl -s -X PUT ${appUrl}/account/phone ${auth} -H 'X-Verigator-Token: <code>' ${json} -d '{"phoneNumber":"+372 5555 5556"}'`,
    `USER_ID=<verigatorId>`,
    ``,
    `# SMS pumping defences: codes go only to EE, LV, LT and FI numbers (another country: 400 at`,
    `# sign-up), at most 500 SMS an hour app-wide and 100 per number prefix (then 429 SMS_LIMITED)`,
    `curl -s -X POST ${appUrl}/users ${json} -d '{"username":"eve@example.com","phoneNumber":"+1 202 555 0143"}'`,
  ];
  if (simulatorUrl) {
    const user = `${simulatorUrl}/_simulator/service/${serviceId}/users/$USER_ID`;
    lines.push(
      ``,
      `# TOTP: enrol a Verigator app device, then a TOTP-preferring route asks for its code`,
      `curl -s -X POST ${user}/devices`,
      `# 401 with "method": "totp": no SMS is sent, the app's code is expected`,
      `curl -s -X POST ${appUrl}/account/recovery-codes ${auth}`,
      `# the app's current code, then retry with it`,
      `curl -s ${user}/totp`,
      `curl -s -X POST ${appUrl}/account/recovery-codes ${auth} -H 'X-Verigator-Token: <code>'`,
    );
  }
  return lines.join('\n');
}
