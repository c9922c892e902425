import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import './styles.css';
import { match, onLinkClick, useLocation } from './router';
import { ROUTES } from './routes';
import { Frame, Page } from './ui/components';

function App() {
  const url = useLocation();
  useEffect(() => {
    document.addEventListener('click', onLinkClick);
    return () => document.removeEventListener('click', onLinkClick);
  }, []);
  for (const r of ROUTES) {
    const params = match(r.path, url.pathname);
    if (params) {
      const P = r.page;
      return (
        <Frame>
          <P key={url.pathname} params={params} />
        </Frame>
      );
    }
  }
  return (
    <Frame>
      <Page title="Página no encontrada">
        <p>
          La dirección no existe. Vuelva al <a href="/">inicio</a>.
        </p>
      </Page>
    </Frame>
  );
}

render(<App />, document.getElementById('app')!);
