export default function LeadDetailPage() {
  return <div>Lead</div>;
}
