import {
  functionRevisionProvider,
  type FunctionRevisionInputs,
} from "../../components/functions/revision-provider";
import { DEFAULT_SETTINGS } from "../../components/functions/spec";

const revision: FunctionRevisionInputs = {
  name: "invite",
  settings: DEFAULT_SETTINGS,
  codeHash: "a".repeat(64),
  settingsHash: "b".repeat(64),
};

describe("functionRevisionProvider", () => {
  const diff = (news: FunctionRevisionInputs) =>
    functionRevisionProvider.diff!("invite", revision, news);

  it("reports no change for the same hashes", async () => {
    expect(await diff({ ...revision })).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it.each([
    ["code", { codeHash: "c".repeat(64) }],
    ["settings", { settingsHash: "d".repeat(64) }],
  ])("updates when the %s hash changes", async (_, change) => {
    expect(await diff({ ...revision, ...change })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("replaces a renamed function", async () => {
    expect((await diff({ ...revision, name: "invite-member" })).replaces).toEqual(["name"]);
  });

  it("keeps what it is given and reads it back unchanged", async () => {
    expect(await functionRevisionProvider.create(revision)).toEqual({
      id: "invite",
      outs: revision,
    });
    expect(await functionRevisionProvider.read!("invite", revision)).toEqual({
      id: "invite",
      props: revision,
    });
  });
});
