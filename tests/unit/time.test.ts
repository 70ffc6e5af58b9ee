import { epochToZonedWallTime, zonedWallTimeToEpoch } from "../../app/utils/time";

const HOUR = 60 * 60 * 1000;

describe("wall time in Africa/Bamako (UTC, no DST)", () => {
  it("converts both ways", () => {
    const epoch = Date.UTC(2026, 11, 4, 14, 0);
    expect(zonedWallTimeToEpoch("2026-12-04T14:00", "Africa/Bamako")).toBe(epoch);
    expect(epochToZonedWallTime(epoch, "Africa/Bamako")).toBe("2026-12-04T14:00");
    expect(zonedWallTimeToEpoch(" 2026-12-04T14:00 ", "Africa/Bamako")).toBe(epoch);
  });

  it("round-trips times spread over a whole year", () => {
    for (let e = Date.UTC(2026, 0, 1); e < Date.UTC(2027, 0, 1); e += 30 * 60 * 1000 * 7) {
      const wall = epochToZonedWallTime(e, "Africa/Bamako");
      expect(zonedWallTimeToEpoch(wall, "Africa/Bamako")).toBe(Math.floor(e / 60000) * 60000);
    }
  });
});

describe("wall time in America/New_York across DST", () => {
  const tz = "America/New_York";

  it("uses EST before and EDT after the spring change", () => {
    expect(zonedWallTimeToEpoch("2026-03-07T12:00", tz)).toBe(Date.UTC(2026, 2, 7, 17, 0));
    expect(zonedWallTimeToEpoch("2026-03-09T12:00", tz)).toBe(Date.UTC(2026, 2, 9, 16, 0));
    expect(zonedWallTimeToEpoch("2026-03-08T01:30", tz)).toBe(Date.UTC(2026, 2, 8, 6, 30));
    expect(zonedWallTimeToEpoch("2026-03-08T03:30", tz)).toBe(Date.UTC(2026, 2, 8, 7, 30));
    expect(epochToZonedWallTime(Date.UTC(2026, 2, 8, 6, 59), tz)).toBe("2026-03-08T01:59");
    expect(epochToZonedWallTime(Date.UTC(2026, 2, 8, 7, 0), tz)).toBe("2026-03-08T03:00");
  });

  it("uses EDT before and EST after the autumn change", () => {
    expect(zonedWallTimeToEpoch("2026-10-31T12:00", tz)).toBe(Date.UTC(2026, 9, 31, 16, 0));
    expect(zonedWallTimeToEpoch("2026-11-02T12:00", tz)).toBe(Date.UTC(2026, 10, 2, 17, 0));
    expect(epochToZonedWallTime(Date.UTC(2026, 10, 1, 5, 30), tz)).toBe("2026-11-01T01:30");
    expect(epochToZonedWallTime(Date.UTC(2026, 10, 1, 6, 30), tz)).toBe("2026-11-01T01:30");
  });

  it("round-trips every quarter hour around both changes", () => {
    for (const day of [Date.UTC(2026, 2, 7), Date.UTC(2026, 9, 31)]) {
      for (let e = day; e < day + 72 * HOUR; e += 15 * 60 * 1000) {
        const wall = epochToZonedWallTime(e, tz);
        const back = zonedWallTimeToEpoch(wall, tz)!;
        // The repeated autumn hour has two instants per wall time: either one is a correct answer.
        expect([e, e - HOUR, e + HOUR]).toContain(back);
        expect(epochToZonedWallTime(back, tz)).toBe(wall);
        if (!(wall >= "2026-11-01T01:00" && wall < "2026-11-01T02:00")) expect(back).toBe(e);
      }
    }
  });
});

describe("invalid wall times", () => {
  it("give null", () => {
    for (const wall of ["", "tomorrow", "2026-12-04", "2026-12-04 14:00", "2026-12-04T14:00:00", "2026-1-4T14:00", "2026-13-04T14:00", "2026-00-04T14:00", "2026-12-00T14:00", "2026-12-32T14:00", "2026-12-04T24:00", "2026-12-04T14:60"]) {
      expect(zonedWallTimeToEpoch(wall, "Africa/Bamako"), wall).toBeNull();
    }
  });

  it("give null for days that do not exist in the month", () => {
    for (const wall of ["2026-02-29T10:00", "2026-02-30T10:00", "2026-04-31T10:00", "2026-06-31T10:00"]) {
      expect(zonedWallTimeToEpoch(wall, "Africa/Bamako"), wall).toBeNull();
    }
    expect(zonedWallTimeToEpoch("2028-02-29T10:00", "Africa/Bamako")).toBe(Date.UTC(2028, 1, 29, 10, 0));
  });

  it("give null for an unknown time zone", () => {
    expect(zonedWallTimeToEpoch("2026-12-04T14:00", "Mars/Olympus_Mons")).toBeNull();
  });
});
