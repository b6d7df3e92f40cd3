// Demo content for the standalone fake platform: one council account on each of X, Facebook and
// Instagram, with residents' comments taken from the simulated platform's generator. Test/demo only.

import { SimulatedPlatform } from '../simulated';
import type { FakePlatformState } from './state';

export const DEMO_TOKENS = {
  x: 'fake-x-council-token',
  facebook: 'fake-facebook-page-token',
  instagram: 'fake-instagram-token',
};
export const DEMO_ACCOUNTS = { x: '1001', facebook: '2001', instagram: '4001' };

/** Seeds `state` and returns the environment that points the service's real SDKs at it. */
export function seedDemo(
  state: FakePlatformState,
  url: string,
  commentsPerPlatform = 10,
): Record<string, string> {
  const sample = new SimulatedPlatform({ seed: 2026 }).generate(commentsPerPlatform * 3);
  const take = (i: number) => sample.slice(i * commentsPerPlatform, (i + 1) * commentsPerPlatform);

  const council = state.addXAccount({
    id: DEMO_ACCOUNTS.x,
    username: 'ExampleCouncil',
    name: 'Example Council',
    token: DEMO_TOKENS.x,
  });
  const post = state.addTweet({
    authorId: council.id,
    text: 'Bin collections move to Tuesdays from next week.',
  });
  take(0).forEach((c, i) => {
    const user = state.addXUser({
      username: c.author.handle ?? `resident${i}`,
      name: c.author.displayName ?? 'Resident',
    });
    state.addTweet(
      i % 2
        ? { authorId: user.id, text: c.text, replyTo: post.id }
        : { authorId: user.id, text: `@${council.username} ${c.text}` },
    );
  });

  state.addFacebookPage({ id: DEMO_ACCOUNTS.facebook, name: 'Example Council', token: DEMO_TOKENS.facebook });
  const fbPost = state.addFacebookPost({
    pageId: DEMO_ACCOUNTS.facebook,
    message: 'Have your say on library opening hours.',
  });
  take(1).forEach((c, i) =>
    state.addFacebookComment({
      postId: fbPost.id,
      from: { id: String(3000 + i), name: c.author.displayName ?? 'Resident' },
      message: c.text,
    }),
  );

  state.addInstagramAccount({
    id: DEMO_ACCOUNTS.instagram,
    username: 'examplecouncil',
    token: DEMO_TOKENS.instagram,
  });
  const media = state.addInstagramMedia({
    accountId: DEMO_ACCOUNTS.instagram,
    caption: 'New recycling bins arrive this month.',
  });
  take(2).forEach((c, i) =>
    state.addInstagramComment({
      mediaId: media.id,
      from: { id: String(5000 + i), username: c.author.handle ?? `resident${i}` },
      text: c.text,
    }),
  );

  return {
    X_API_BASE_URL: url,
    GRAPH_API_BASE_URL: url,
    X_ACCOUNTS: JSON.stringify([
      { userId: DEMO_ACCOUNTS.x, handle: 'ExampleCouncil', accessToken: DEMO_TOKENS.x },
    ]),
    FACEBOOK_PAGES: JSON.stringify([
      { pageId: DEMO_ACCOUNTS.facebook, name: 'Example Council', accessToken: DEMO_TOKENS.facebook },
    ]),
    INSTAGRAM_ACCOUNTS: JSON.stringify([
      { accountId: DEMO_ACCOUNTS.instagram, handle: 'examplecouncil', accessToken: DEMO_TOKENS.instagram },
    ]),
  };
}
