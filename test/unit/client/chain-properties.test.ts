/** The chain's token and address format come from what it declares, and a chain that declares none is a typed error. */
import { TypeRegistry } from '@polkadot/types';
import { chainProperties } from '../../../shared/client/chain-properties';

const declaring = (props: Record<string, unknown>) => {
  const registry = new TypeRegistry();
  registry.setChainProperties(registry.createType('ChainProperties', props));
  return { registry };
};

test('reads what the chain declares, whatever it is', () => {
  expect(chainProperties(declaring({ ss58Format: 0, tokenDecimals: [10], tokenSymbol: ['DOT'] })))
    .toEqual({ ss58Format: 0, tokenSymbol: 'DOT', tokenDecimals: 10 });
});

test('a chain without properties, or without a token, is MissingChainProperty, not a guess', () => {
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as { code?: string }).code;
    }
    return 'no error';
  };
  expect(code(() => chainProperties({ registry: new TypeRegistry() }))).toBe('MissingChainProperty');
  expect(code(() => chainProperties(declaring({ ss58Format: 42 })))).toBe('MissingChainProperty');
  expect(code(() => chainProperties(declaring({ ss58Format: 42, tokenSymbol: ['PHA'] })))).toBe('MissingChainProperty');
});
