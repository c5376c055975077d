// Every GraphQL document of the app. Codegen types them from ../schema.graphql (src/gql/, rebuilt by each build);
// a document that no longer matches the schema fails the build.
import { graphql } from "./gql";

export const ReferenceDataQuery = graphql(`
  query ReferenceData {
    me { user { id name teams { id name } } role permissions }
    users(first: 100) { edges { node { id name initials isActive email } } }
    sources(first: 100) { edges { node { id name category } } }
    leadTypes(first: 100) { edges { node { id name } } }
    tags(first: 100) { edges { node { id name color } } }
    pipelines(first: 100) {
      edges { node { id name isDefault rottingDays stages { id name code kind probability position } } }
    }
  }
`);

export const CardFields = graphql(`
  fragment CardFields on Lead {
    id
    title
    value
    currency
    status
    version
    expectedCloseDate
    isRotting
    daysInStage
    stage { id }
    contactPerson { id name }
    organization { id name }
    salesPerson { id name initials }
    tags { id name color }
  }
`);

export const BoardPipelineQuery = graphql(`
  query BoardPipeline($id: ID!) {
    pipeline(id: $id) { id name rottingDays stages { id name code kind probability position } }
  }
`);

export const DefaultPipelineQuery = graphql(`
  query DefaultPipeline {
    defaultPipeline { id }
  }
`);

export const StagePageQuery = graphql(`
  query StagePage($pipelineId: ID!, $filter: LeadFilter, $savedFilter: ID, $first: Int!, $after: String, $orderBy: [LeadOrder!]) {
    pipeline(id: $pipelineId) {
      id
      stages {
        id
        leads(first: $first, after: $after, filter: $filter, savedFilter: $savedFilter, orderBy: $orderBy) {
          totalCount
          totalValue
          weightedValue
          pageInfo { hasNextPage endCursor }
          edges { cursor node { ...CardFields } }
        }
      }
    }
  }
`);

export const BoardTotalsQuery = graphql(`
  query BoardTotals($pipelineId: ID!, $filter: LeadFilter, $savedFilter: ID) {
    pipeline(id: $pipelineId) {
      id
      stages { id leads(first: 0, filter: $filter, savedFilter: $savedFilter) { totalCount totalValue weightedValue } }
    }
  }
`);

export const MoveLeadMutation = graphql(`
  mutation MoveLead($input: MoveLeadInput!) {
    moveLead(input: $input) {
      lead { ...CardFields lostReason closedAt stageEnteredAt stage { id name kind probability } weightedValue }
      errors { field code message }
    }
  }
`);

export const CreateLeadMutation = graphql(`
  mutation CreateLead($input: CreateLeadInput!) {
    createLead(input: $input) {
      lead { ...CardFields }
      errors { field code message }
    }
  }
`);

export const PersonSearchQuery = graphql(`
  query PersonSearch($search: String) {
    persons(search: $search, first: 8) {
      edges { node { id name jobTitle organization { id name } emails { label value } } }
    }
  }
`);

export const CreatePersonMutation = graphql(`
  mutation CreatePerson($input: CreatePersonInput!) {
    createPerson(input: $input) {
      person { ...PersonFields }
      errors { field code message }
    }
  }
`);

export const PersonFields = graphql(`
  fragment PersonFields on Person {
    id
    name
    jobTitle
    department
    decisionRole
    emails { label value }
    phones { label value }
    organization { id name industry city country website }
  }
`);

export const LeadRowFields = graphql(`
  fragment LeadRowFields on Lead {
    id
    title
    value
    currency
    status
    version
    expectedCloseDate
    createdAt
    stage { id name kind }
    pipeline { id name }
    salesPerson { id name initials }
    contactPerson { id name }
    organization { id name }
    source { id name }
    leadType { id name }
    tags { id name color }
  }
`);

export const LeadListQuery = graphql(`
  query LeadList(
    $filter: LeadFilter, $orderBy: [LeadOrder!], $savedFilter: ID, $first: Int!, $after: String, $countAtMost: Int!
  ) {
    leads(filter: $filter, orderBy: $orderBy, savedFilter: $savedFilter, first: $first, after: $after) {
      totalCount(atMost: $countAtMost)
      pageInfo { hasNextPage endCursor }
      edges { cursor node { ...LeadRowFields } }
    }
  }
`);

// The list's total value, asked only when the count is exact: summing every match of a big list would cost the
// scan the capped count avoids.
export const LeadListValueQuery = graphql(`
  query LeadListValue($filter: LeadFilter, $savedFilter: ID) {
    leads(filter: $filter, savedFilter: $savedFilter, first: 0) { totalValue }
  }
`);

export const LeadDetailFields = graphql(`
  fragment LeadDetailFields on Lead {
    id
    title
    description
    value
    currency
    status
    lostReason
    closedAt
    expectedCloseDate
    score
    temperature
    stageEnteredAt
    createdAt
    updatedAt
    version
    weightedValue
    daysInStage
    isRotting
    stage { id name kind probability }
    pipeline { id name rottingDays stages { id name code kind probability position } }
    source { id name }
    leadType { id name }
    salesPerson { id name initials }
    contactPerson { ...PersonFields }
    organization { id name }
    tags { id name color }
    products {
      id
      quantity
      unitPrice
      discountPercent
      discountAmount
      amount
      product { id sku name listPrice currency unit billingTerm }
    }
    timeline(first: 100) {
      totalCount
      edges { node { id kind title body data createdAt actor { id name initials } } }
    }
  }
`);

export const LeadDetailQuery = graphql(`
  query LeadDetail($id: ID!) {
    lead(id: $id) { ...LeadDetailFields }
  }
`);

export const UpdateLeadMutation = graphql(`
  mutation UpdateLead($input: UpdateLeadInput!) {
    updateLead(input: $input) {
      lead { ...LeadDetailFields }
      errors { field code message }
    }
  }
`);

export const MoveLeadDetailMutation = graphql(`
  mutation MoveLeadDetail($input: MoveLeadInput!) {
    moveLead(input: $input) {
      lead { ...LeadDetailFields }
      errors { field code message }
    }
  }
`);

export const DeleteLeadMutation = graphql(`
  mutation DeleteLead($input: DeleteLeadInput!) {
    deleteLead(input: $input) { deletedId errors { field code message } }
  }
`);

export const CreateTagMutation = graphql(`
  mutation CreateTag($input: CreateTagInput!) {
    createTag(input: $input) { tag { id name color } errors { field code message } }
  }
`);

export const AddNoteMutation = graphql(`
  mutation AddNote($input: AddActivityInput!) {
    addActivity(input: $input) {
      activity { id kind title body data createdAt }
      errors { field code message }
    }
  }
`);

export const ProductSearchQuery = graphql(`
  query ProductSearch($search: String) {
    products(search: $search, first: 8) {
      edges { node { id sku name category listPrice currency unit billingTerm isActive } }
    }
  }
`);

export const AddLeadProductMutation = graphql(`
  mutation AddLeadProduct($input: AddLeadProductInput!) {
    addLeadProduct(input: $input) {
      lead { ...LeadDetailFields }
      errors { field code message }
    }
  }
`);

export const UpdateLeadProductMutation = graphql(`
  mutation UpdateLeadProduct($input: UpdateLeadProductInput!) {
    updateLeadProduct(input: $input) {
      lead { ...LeadDetailFields }
      errors { field code message }
    }
  }
`);

export const RemoveLeadProductMutation = graphql(`
  mutation RemoveLeadProduct($input: RemoveLeadProductInput!) {
    removeLeadProduct(input: $input) {
      lead { ...LeadDetailFields }
      errors { field code message }
    }
  }
`);

export const MassMoveMutation = graphql(`
  mutation MassMove($input: MoveLeadInput!) {
    moveLead(input: $input) { lead { ...LeadRowFields } errors { field code message } }
  }
`);

export const MassUpdateMutation = graphql(`
  mutation MassUpdate($input: UpdateLeadInput!) {
    updateLead(input: $input) { lead { ...LeadRowFields } errors { field code message } }
  }
`);

export const StageMoreQuery = graphql(`
  query StageMore($stageId: ID!, $filter: LeadFilter, $savedFilter: ID, $first: Int!, $after: String, $orderBy: [LeadOrder!]) {
    node(id: $stageId) {
      __typename
      id
      ... on Stage {
        leads(first: $first, after: $after, filter: $filter, savedFilter: $savedFilter, orderBy: $orderBy) {
          totalCount
          totalValue
          weightedValue
          pageInfo { hasNextPage endCursor }
          edges { cursor node { ...CardFields } }
        }
      }
    }
  }
`);

export const OrganizationSearchQuery = graphql(`
  query OrganizationSearch($search: String) {
    organizations(search: $search, first: 8) { edges { node { id name industry city country } } }
  }
`);

export const SavedFilterFields = graphql(`
  fragment SavedFilterFields on SavedFilter { id name filter orderBy view scope isBuiltin isOwn }
`);

export const SavedFiltersQuery = graphql(`
  query SavedFilters {
    savedFilters { ...SavedFilterFields }
  }
`);

export const CreateSavedFilterMutation = graphql(`
  mutation CreateSavedFilter($input: CreateSavedFilterInput!) {
    createSavedFilter(input: $input) { savedFilter { ...SavedFilterFields } errors { field code message } }
  }
`);

export const DeleteSavedFilterMutation = graphql(`
  mutation DeleteSavedFilter($input: DeleteSavedFilterInput!) {
    deleteSavedFilter(input: $input) { deletedId errors { field code message } }
  }
`);
