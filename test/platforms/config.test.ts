// Platform settings from the environment, and the adapters built from them.

import { ValidationFailed } from '../../core/errors';
import { createAdapters, loadPlatformConfig } from '../../platforms/config';
import { DEFAULT_SIMULATED_RESTRICTED_ACCOUNTS } from '../../platforms/simulated';

const xAccount = { userId: '1001', handle: 'ExampleCouncil', accessToken: 'x-token-123456' };
const page = { pageId: '2001', accessToken: 'page-token-123456' };
const ig = { accountId: '4001', accessToken: 'ig-token-123456' };

describe('platform settings', () => {
  it('with no credentials, only the simulated platform runs', () => {
    const config = loadPlatformConfig({});
    expect(config.simulated).toEqual({
      enabled: true,
      seed: 1,
      restrictedAccountIds: DEFAULT_SIMULATED_RESTRICTED_ACCOUNTS,
    });
    expect(createAdapters(config).map((a) => a.platform)).toEqual(['simulated']);
  });

  it('several council accounts per platform, each its own adapter; the simulated one steps aside', () => {
    const config = loadPlatformConfig({
      X_ACCOUNTS: JSON.stringify([xAccount, { ...xAccount, userId: '1002' }]),
      X_PLAN: 'enterprise',
      FACEBOOK_PAGES: JSON.stringify([page]),
      INSTAGRAM_ACCOUNTS: JSON.stringify([ig]),
      X_API_BASE_URL: 'http://127.0.0.1:4010',
      GRAPH_API_BASE_URL: 'http://127.0.0.1:4010',
    });
    expect(config.x).toMatchObject({ plan: 'enterprise', baseUrl: 'http://127.0.0.1:4010' });
    expect(createAdapters(config).map((a) => `${a.platform}/${a.councilAccountId}`)).toEqual([
      'x/1001',
      'x/1002',
      'facebook/2001',
      'instagram/4001',
    ]);
  });

  it('the simulated platform can run beside real accounts, with its own restricted accounts', () => {
    const config = loadPlatformConfig({
      FACEBOOK_PAGES: JSON.stringify([page]),
      SIMULATED_PLATFORM: 'on',
      SIMULATED_RESTRICTED_ACCOUNTS: 'a-1, b-2,',
      SIMULATED_SEED: '9',
    });
    expect(config.simulated).toEqual({ enabled: true, seed: 9, restrictedAccountIds: ['a-1', 'b-2'] });
    expect(createAdapters(config).map((a) => a.platform)).toEqual(['facebook', 'simulated']);
  });

  it.each([
    ['X_ACCOUNTS', { X_ACCOUNTS: 'userId=1001' }, /X_ACCOUNTS: expected a JSON array/],
    [
      'X_ACCOUNTS',
      { X_ACCOUNTS: JSON.stringify([{ ...xAccount, userId: 'ExampleCouncil' }]) },
      /X_ACCOUNTS \(at 0\.userId\): expected the numeric id/,
    ],
    [
      'X_ACCOUNTS',
      { X_ACCOUNTS: JSON.stringify([{ userId: '1001' }]) },
      /X_ACCOUNTS \(at 0\.accessToken\): Required/,
    ],
    ['X_PLAN', { X_PLAN: 'premium' }, /X_PLAN: Invalid enum value. Expected 'standard' \| 'enterprise'/],
    [
      'FACEBOOK_PAGES',
      { FACEBOOK_PAGES: JSON.stringify([{ ...page, token: 'typo' }]) },
      /FACEBOOK_PAGES \(at 0\): Unrecognized key/,
    ],
    ['GRAPH_API_BASE_URL', { GRAPH_API_BASE_URL: 'graph.local' }, /GRAPH_API_BASE_URL: expected a URL/],
    ['PLATFORM_TIMEOUT_MS', { PLATFORM_TIMEOUT_MS: 'soon' }, /PLATFORM_TIMEOUT_MS: Expected number/],
  ])('a bad %s stops start-up with one line naming it', (variable, environment, message) => {
    let error: unknown;
    try {
      loadPlatformConfig(environment);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationFailed);
    expect(error).toMatchObject({ field: variable, message: expect.stringMatching(message) });
  });

  it('never repeats a token in its error', () => {
    expect(() =>
      loadPlatformConfig({
        X_ACCOUNTS: JSON.stringify([{ userId: 'x', accessToken: 'secret-token-value' }]),
      }),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining('secret-token-value') }));
  });
});
