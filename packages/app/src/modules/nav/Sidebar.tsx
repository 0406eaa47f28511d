import Chip from '@material-ui/core/Chip';
import {
  Sidebar,
  SidebarDivider,
  SidebarGroup,
  SidebarItem,
  SidebarScrollWrapper,
  SidebarSpace,
  useSidebarOpenState,
} from '@backstage/core-components';
import { NavContentBlueprint } from '@backstage/plugin-app-react';
import { SidebarLogo } from './SidebarLogo';
import MenuIcon from '@material-ui/icons/Menu';
import NotificationsIcon from '@material-ui/icons/Notifications';
import { UserSettingsSignInAvatar } from '@backstage/plugin-user-settings';
import { NotificationsSidebarItem } from '@backstage/plugin-notifications';

/**
 * The notifications item named by its content, "Notifications 1 unread":
 * the default item shows the count but is labelled "Notifications" only,
 * which fails WCAG 2.5.3 (label in name).
 */
function NotificationsItem(props: {
  unreadCount: number;
  to: string;
  onClick: () => void;
}) {
  const { unreadCount, to, onClick } = props;
  const count = unreadCount > 99 ? '99+' : String(unreadCount);
  const { isOpen } = useSidebarOpenState();
  return (
    <SidebarItem
      icon={NotificationsIcon}
      to={to}
      onClick={onClick}
      text="Notifications"
      // Open, the content names the link ("Notifications 1 unread"); an
      // aria-label would have to repeat the visible words exactly. Closed,
      // only the icon shows, so the label says it all.
      aria-label={
        isOpen
          ? undefined
          : `Notifications${unreadCount > 0 ? `, ${count} unread` : ''}`
      }
    >
      {unreadCount > 0 && (
        <Chip
          size="small"
          label={
            <>
              {count} <span className="MuiTypography-srOnly">unread</span>
            </>
          }
        />
      )}
    </SidebarItem>
  );
}

export const SidebarContent = NavContentBlueprint.make({
  params: {
    component: ({ navItems }) => {
      // An item whose page has another item's page nested under it (My EKS
      // access at /eks-access, Access requests at /eks-access/requests)
      // matches its path exactly, so that only the current page is
      // highlighted and carries aria-current="page".
      const hrefs = navItems
        .clone()
        .rest()
        .map(item => item.href);
      const nav = navItems.withComponent(item => (
        <SidebarItem
          icon={() => item.icon}
          to={item.href}
          text={item.title}
          end={hrefs.some(href => href.startsWith(`${item.href}/`))}
        />
      ));

      // Skipped items
      nav.take('page:notifications'); // Using NotificationsSidebarItem manually instead

      return (
        <Sidebar>
          <SidebarLogo />
          <SidebarGroup label="Menu" icon={<MenuIcon />}>
            {nav.take('page:catalog')}
            {nav.take('page:eks-access')}
            <SidebarDivider />
            <SidebarScrollWrapper>
              {nav.rest({ sortBy: 'title' })}
            </SidebarScrollWrapper>
          </SidebarGroup>
          <SidebarSpace />
          <SidebarDivider />
          <NotificationsSidebarItem
            renderItem={item => <NotificationsItem {...item} />}
          />
          <SidebarDivider />
          <SidebarGroup
            label="Settings"
            icon={<UserSettingsSignInAvatar />}
            to="/settings"
          >
            {nav.take('page:user-settings')}
          </SidebarGroup>
        </Sidebar>
      );
    },
  },
});
