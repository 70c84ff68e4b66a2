import { cryptoWaitReady } from '@polkadot/util-crypto';
import { PORT_CONTENT, PORT_EXTENSION } from '../../../extension/messages/constants';
import { FakePort, POPUP_URL, makeWallet, pagePort, popupPort } from './fakes';

beforeAll(() => cryptoWaitReady());

describe('routing by port and sender', () => {
  test('pri(*) from a page is refused, pub(*) from the popup is refused', async () => {
    const w = makeWallet();
    expect((await w.call('pri(settings.get)', null, pagePort('https://dapp.example')))?.error?.code).toBe('NotAuthorized');
    expect((await w.call('pub(accounts.list)', {}, popupPort()))?.error?.code).toBe('NotAuthorized');
  });

  test('a popup-named port from anything but our popup page is refused', async () => {
    const w = makeWallet();
    for (const url of ['https://dapp.example/popup.html', `${POPUP_URL.replace('popup.html', 'other.html')}`, 'chrome-extension://another/popup.html']) {
      const port = new FakePort(PORT_EXTENSION, { url });
      expect((await w.call('pri(settings.get)', null, port))?.error?.code).toBe('NotAuthorized');
    }
    // …while the popup in a tab (sender.tab set) is fine.
    expect((await w.call('pri(settings.get)', null, popupPort('#/settings')))?.error).toBeUndefined();
  });

  test('content ports need an http(s) page in a tab and a well-formed client id', async () => {
    const w = makeWallet();
    const cases = [
      new FakePort(`${PORT_CONTENT}${crypto.randomUUID()}`, { url: 'file:///home/me/a.html', tab: { id: 1 } }),
      new FakePort(`${PORT_CONTENT}${crypto.randomUUID()}`, { url: `${POPUP_URL}`, tab: { id: 1 } }),
      new FakePort(`${PORT_CONTENT}${crypto.randomUUID()}`, { url: 'https://dapp.example/' }), // no tab
      new FakePort(`${PORT_CONTENT}not-a-uuid`, { url: 'https://dapp.example/', tab: { id: 1 } }),
      new FakePort('someone-else', { url: 'https://dapp.example/', tab: { id: 1 } }),
    ];
    for (const port of cases) expect((await w.call('pub(metadata.list)', null, port))?.error?.code).toBe('NotAuthorized');
  });

  test('connect() drops ports it does not recognise', () => {
    const w = makeWallet();
    const stranger = new FakePort('someone-else', { url: 'https://dapp.example/', tab: { id: 1 } });
    w.bg.connect(stranger);
    expect(stranger.connected).toBe(false);
    const page = pagePort('https://dapp.example');
    w.bg.connect(page);
    expect(page.connected).toBe(true);
  });

  test('only registry names are handled; prototype keys are not', async () => {
    const w = makeWallet();
    for (const type of ['pub(constructor)', 'pub(toString)', '__proto__', 'pub(accounts.create)']) {
      const port = pagePort('https://dapp.example');
      await w.bg.handle('x', type, {}, port);
      expect(port.replies('x')[0].error?.code).toBe('NotAuthorized');
    }
  });

  test('malformed page bodies get an InvalidInput sentence', async () => {
    const w = makeWallet();
    const page = pagePort('https://dapp.example');
    const reply = await w.call('pub(authorize.tab)', { origin: 42 } as never, page);
    expect(reply?.error?.code).toBe('InvalidInput');
    expect(reply?.error?.message).toMatch(/^Send "origin"/);
  });
});
