/**
 * Which session is the screen of which show: a show's token also grants its screen session
 * (TokenAccess.forSession). The show manager records each show's screen here as it creates or
 * resumes the show; token checks read it. Kept in the auth room so the session manager's token
 * check does not depend on the show manager, which is built on top of the session manager.
 *
 * @example
 *   const grants = new ScreenGrants();
 *   const access = new TokenAccess({ tokens, screenSessionOf: (id) => grants.screenSessionOf(id) });
 *   const shows = new ShowManager({ …, grants });
 */
export class ScreenGrants {
  private readonly screens = new Map<string, string>();

  grant(showId: string, screenSessionId: string): void {
    if (screenSessionId) this.screens.set(showId, screenSessionId);
  }

  screenSessionOf(showId: string): string | undefined {
    return this.screens.get(showId);
  }
}
