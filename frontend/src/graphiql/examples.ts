// Example queries for analysts, opened as GraphiQL tabs on a first visit and always available from the
// "Examples" panel. examples.test.ts validates every one against ../schema.graphql.
export interface Example {
  title: string;
  description: string;
  query: string;
  variables?: string;
}

export const EXAMPLES: Example[] = [
  {
    title: "Board with totals",
    description: "Every stage of the default pipeline with its lead count, total and weighted value, and the first cards.",
    query: `# Every stage of the default pipeline: lead count, total and weighted value, first five cards.
query BoardWithTotals {
  defaultPipeline {
    name
    stages {
      name
      probability
      leads(first: 5) {
        totalCount
        totalValue
        weightedValue
        edges { node { title value salesPerson { name } organization { name } } }
      }
    }
  }
}
`,
  },
  {
    title: "Referral healthcare deals",
    description: "Open leads over 10,000 from referral sources in healthcare, closing in the next 30 days, by sales person.",
    query: `# Open leads over 10,000 from referral sources in healthcare, closing in the next 30 days,
# grouped by sales person.
query ReferralHealthcareClosingSoon {
  leadAggregate(
    filter: {
      status: {eq: OPEN}
      value: {gt: "10000"}
      sourceCategory: {eq: REFERRAL}
      industry: {eq: "Healthcare"}
      expectedCloseDate: {relative: {period: NEXT_N_DAYS, days: 30, timeZone: "Europe/Berlin"}}
    }
    groupBy: [SALES_PERSON]
  ) {
    groups { keys { dimension id value } count sum average weightedValue }
    total { count sum weightedValue }
  }
}
`,
  },
  {
    title: "Won value by source and month",
    description: "Won leads created this year, counted and summed per source and month.",
    query: `# Won value by source and month, this year.
query WonBySourceAndMonth {
  leadAggregate(
    filter: {status: {eq: WON}, createdAt: {relative: {period: THIS_YEAR}}}
    groupBy: [SOURCE, CREATED_MONTH]
  ) {
    groups { keys { dimension value } count sum }
    total { count sum }
  }
}
`,
  },
  {
    title: "Run a saved filter",
    description: "List the saved filters you can see, then run one by id (leads and an aggregate).",
    query: `# 1. Run "SavedFilters" and copy an id into the variables below.
# 2. Run "RunSavedFilter": the saved filter's criteria and sort, with your own filter ANDed on top.
query SavedFilters {
  savedFilters { id name view scope isBuiltin isOwn filter orderBy }
}

query RunSavedFilter($savedFilter: ID!) {
  leads(savedFilter: $savedFilter, first: 20) {
    totalCount
    totalValue
    edges { node { title value stage { name } salesPerson { name } expectedCloseDate } }
  }
  leadAggregate(savedFilter: $savedFilter, groupBy: [STAGE]) {
    groups { keys { dimension value } count sum }
  }
}
`,
    variables: `{
  "savedFilter": "paste an id from SavedFilters here"
}
`,
  },
  {
    title: "Who am I",
    description: "Your user, role, permissions and which leads you can see.",
    query: `query Me {
  me { user { name email teams { name } } role permissions leadVisibility via }
}
`,
  },
];
