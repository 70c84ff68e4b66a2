/**
 * The test chain's shortcut encodings (one polkadot-js encoding per shape, fields written into a copy)
 * give exactly the bytes polkadot-js and the dev chain's codec give, so the blocks the enclave tests
 * feed are the chain's own format.
 */
import { COMMAND_ENVELOPE_SIZE } from '../../../shared/constants';
import { randomBytes } from '@noble/hashes/utils.js';
import { dispatchInfo } from '../../../contract/chain/runtime/fees';
import { fromHex, toHex, type AccountId } from '../../../shared/types';
import { TestChain, codec, eventRecords, runtime } from '../../helpers/test-chain';

const someone = () => toHex(randomBytes(32)) as AccountId;

it('encodes extrinsics and events as polkadot-js does', () => {
  const [who, sender] = [someone(), someone()];
  const payload = randomBytes(COMMAND_ENVELOPE_SIZE);
  const block = new TestChain().block([
    { kind: 'deposit', who, contractId: 3, amount: 12_345n },
    { kind: 'command', sender, contractId: 3, payload },
  ]);
  const [deposit, command] = block.extrinsics.map((x) => runtime.registry.createType('Extrinsic', x));
  expect(deposit.signer.toU8a(true).slice(-32)).toEqual(fromHex(who));
  expect(deposit.method.toHuman()).toMatchObject({ section: 'phalaModule', method: 'transferToTee', args: { contract_id: '3', amount: '12,345' } });
  expect(command.signer.toU8a(true).slice(-32)).toEqual(fromHex(sender));
  expect(command.method.args.map((a) => a.toHex())).toEqual([runtime.registry.createType('u32', 3).toHex(), toHex(payload)]);

  const ok = codec.event('System', 'ExtrinsicSuccess', { dispatchInfo: dispatchInfo(1000n, 'Normal') });
  const tee = codec.event('PhalaModule', 'TransferToTee', { contractId: 3, who, amount: 12_345n });
  expect(eventRecords([[tee, ok], [ok]])).toEqual(codec.eventRecords([
    { phase: { ApplyExtrinsic: 0 }, event: tee }, { phase: { ApplyExtrinsic: 0 }, event: ok }, { phase: { ApplyExtrinsic: 1 }, event: ok },
  ]));
});
