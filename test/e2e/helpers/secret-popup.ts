/** Steps on the popup's secret screens shared by the dark-wallet browser suites (driven through data-testids). */
import type { Page } from 'playwright-core';
import { until } from '../../helpers/until';
import { screenshot } from './browser';

/** Home, once the worker status says the contract key is verified. */
export async function home(popup: Page): Promise<void> {
  await popup.goto(popup.url().replace(/#.*$/, '#/home'));
  await popup.getByTestId('screen-home').waitFor();
  await popup.locator('[data-testid=worker-status][data-state=verified]').waitFor();
}

export async function chooseAccount(popup: Page, address: string): Promise<void> {
  await popup.getByTestId('secret-account').selectOption(address);
}

/** The secret balance the home screen shows for `symbol`, once it equals `expected`. */
export async function expectSecretBalance(popup: Page, symbol: string, expected: string): Promise<void> {
  const amount = popup.locator(`[data-testid=secret-balance][data-symbol="${symbol}"] [data-testid=secret-amount]`);
  await until(async () => (await amount.count()) > 0 && (await amount.textContent()) === expected, { what: `the amount ${expected}`, timeoutMs: 20_000, intervalMs: 200 });
}

/** Submits the open secret form and waits until the operation is applied. */
export async function submitAndApply(popup: Page, shot: string): Promise<void> {
  await popup.getByTestId('secret-submit').click();
  await popup.getByTestId('op-progress').waitFor();
  await popup.locator('[data-testid=op-progress][data-status=applied]').waitFor({ timeout: 30_000 });
  await screenshot(popup, shot);
}

/** Opens the secret transfer form and fills it: `recipient` is an address-book name (`Bob`). */
export async function fillSecretTransfer(popup: Page, recipient: string, amount: string): Promise<void> {
  await popup.getByTestId('go-secret-transfer').click();
  await popup.getByTestId('screen-secret-transfer').waitFor();
  await popup.getByTestId(`recipient-${recipient}`).click();
  await popup.getByTestId('secret-amount-input').fill(amount);
}

/** Opens the issue form and fills it for GOLD ("Gold", 2 decimals, supply 1,000). */
export async function fillGoldIssue(popup: Page): Promise<void> {
  await popup.getByTestId('go-issue').click();
  await popup.getByTestId('screen-secret-issue').waitFor();
  await popup.getByTestId('issue-symbol').fill('GOLD');
  await popup.getByTestId('issue-name').fill('Gold');
  await popup.getByTestId('issue-decimals').fill('2');
  await popup.getByTestId('issue-supply').fill('1000');
}
