export default function LeadsPage() {
  return <div>Leads</div>;
}
