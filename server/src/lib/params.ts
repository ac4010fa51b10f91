/** A validated ISO 8601 query value (the schema checked its format) as a Date. */
export const dateParam = (value: string | undefined) => (value === undefined ? undefined : new Date(value));
