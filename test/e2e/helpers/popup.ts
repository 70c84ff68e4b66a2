/** Popup actions shared by the browser tests (they drive the real UI through its data-testids). */
import type { Page } from 'playwright-core';

export const PASSWORD = 'e2e wallet password';

/** Import an account from a suri (`//Alice`) on a popup page that shows the import screen or home. */
export async function importSuri(page: Page, suri: string, name: string, first: boolean, password = PASSWORD): Promise<void> {
  await page.goto(page.url().replace(/#.*$/, '#/import-seed'));
  await page.getByTestId('suri').fill(suri);
  await page.getByTestId('suri-address').waitFor();
  await page.getByTestId('account-name-input').fill(name);
  await page.getByTestId('password').fill(password);
  if (first) await page.getByTestId('password-repeat').fill(password);
  await page.getByTestId('import-submit').click();
  await page.getByTestId('screen-home').waitFor();
}

export async function unlock(page: Page, password = PASSWORD): Promise<void> {
  await page.getByTestId('unlock-password').fill(password);
  await page.getByTestId('unlock-submit').click();
}

/** The account names shown on the home screen. */
export async function accountNames(page: Page): Promise<string[]> {
  return page.getByTestId('account').getByTestId('account-name').allTextContents();
}
