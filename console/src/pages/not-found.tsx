import { PageTitle } from '../components/ui.js';

export default function NotFound() {
  return (
    <>
      <PageTitle title="Not found">Page not found</PageTitle>
      <p>
        There is nothing at this address. <a href="/console/">Go to your calls</a>.
      </p>
    </>
  );
}
