import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { platform } from './platform/index.ts';
import { startSubscriptions } from './subscriptions.ts';
import './styles.css';

document.body.dataset.platform = platform.platform;
startSubscriptions();
const root = document.getElementById('root');
if (!root) throw new Error('#root is missing');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
